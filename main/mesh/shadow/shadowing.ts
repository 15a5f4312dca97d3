/**
 * Shadow-and-diff as the mesh wires it: the rules (persisted, and from meshdesk.yaml), the sender
 * reading the request bus, the book of compared pairs, the views the API and the push stream carry,
 * and the admin handlers of the shadow and diff operations. Kept here so that mesh.ts only makes it,
 * feeds it the config and stops it.
 */
import type { OperationName } from '../../../shared/api.js';
import type { MeshConfig, TelemetryConfig } from '../../../shared/config-schema.js';
import type { ShadowView } from '../../../shared/shadow.js';
import type { AdminHandlers } from '../admin/admin-server.js';
import { MeshError } from '../mesh-error.js';
import type { Registry } from '../registry/registry.js';
import type { MeshState } from '../store/mesh-state.js';
import type { StateStore } from '../store/state-store.js';
import { DiffBook } from './diff/diff-book.js';
import { configShadows, ShadowRules, sideEffectWarning, type RuleInForce } from './shadow-rules.js';
import { ThreadedCopySender } from './threaded-copy-sender.js';
import { ShadowSender, type ShadowBus } from './shadow-sender.js';

type ShadowOperation = Extract<OperationName, 'listShadows' | 'startShadow' | 'stopShadow' | 'getDiffs' | 'listDiffPairs' | 'getDiffPair' | 'clearDiffs'>;

/** Copies in flight at most, all services together: past it, copies are dropped (and counted). */
const MAX_COPIES_IN_FLIGHT = 256;
/** Bytes of each body a stored pair keeps for the side-by-side view. */
const PAIR_BODY_BYTES = 32 * 1024;
/** Pushed counts change at most this often while pairs are compared. */
const PUSH_EVERY_MS = 1_000;

export interface ShadowingOptions {
  registry: Pick<Registry, 'lookup'>;
  store: StateStore<MeshState>;
  bus: ShadowBus;
  /** A copy's answer is read as far as the log reads bodies, and the pairs mask what the log masks. */
  telemetry: Pick<TelemetryConfig, 'bodyCaptureBytes' | 'maskedHeaders'>;
  timeoutMs: number;
  /** Told the views whenever a rule starts or stops, and at most once a second while pairs are compared. */
  publish: (views: ShadowView[]) => void;
}

export class Shadowing {
  readonly rules: ShadowRules;
  private readonly book = new DiffBook();
  private readonly copies: ThreadedCopySender;
  private readonly sender: ShadowSender;
  private publishTimer: NodeJS.Timeout | null = null;
  /** Services that had a rule in this run: their diffs exist, if only empty, until the mesh stops. */
  private readonly everShadowed = new Set<string>();

  constructor(private readonly options: ShadowingOptions) {
    const lookup = (service: string) => options.registry.lookup(service);
    const captureBodyBytes = options.telemetry.bodyCaptureBytes;
    this.rules = new ShadowRules({
      lookup,
      overrides: options.store.get('shadows') ?? {},
      saveOverrides: (overrides) => options.store.set('shadows', overrides),
    });
    this.copies = new ThreadedCopySender({ captureBodyBytes, timeoutMs: options.timeoutMs, connectionsPerInstance: 16 });
    this.sender = new ShadowSender({
      rules: this.rules,
      lookup,
      bus: options.bus,
      copies: this.copies,
      book: this.book,
      maskedHeaders: new Set(options.telemetry.maskedHeaders.map((name) => name.toLowerCase())),
      pairBodyBytes: Math.min(PAIR_BODY_BYTES, captureBodyBytes),
      maxInFlight: MAX_COPIES_IN_FLIGHT,
      onPair: () => this.publishSoon(),
    });
    this.rules.onChange((service) => {
      if (this.rules.get(service)) this.everShadowed.add(service);
      // The last rule gone, the copies' thread goes too (it holds some 30 MB); the next rule's first copy starts one.
      else if (this.rules.list().length === 0) void this.copies.close();
      this.publishNow();
    });
  }

  applyConfig(config: MeshConfig): void {
    this.rules.applyConfig(configShadows(config));
  }

  views(): ShadowView[] {
    return this.rules.list().map((rule) => this.view(rule));
  }

  handlers(): Pick<AdminHandlers, ShadowOperation> {
    return {
      listShadows: () => this.views(),
      startShadow: (input) => this.view(this.rules.start(input)),
      stopShadow: ({ service }) => {
        if (!this.rules.stop(service)) throw new MeshError(404, `service ${service} has no shadow rule`);
        return this.views();
      },
      getDiffs: ({ service }) => {
        const rule = this.rules.get(service);
        const shadow = rule ? this.view(rule) : null;
        const diffs =
          this.book.summary(service, shadow) ?? (rule || this.everShadowed.has(service) ? { service, shadow, pairs: 0, differing: 0, endpoints: [] } : null);
        if (!diffs) throw new MeshError(404, `service ${service} was never shadowed: start with meshdesk shadow start ${service} --to <version>`);
        return diffs;
      },
      listDiffPairs: (query) => this.book.pairs(query),
      getDiffPair: ({ id }) => {
        const pair = this.book.pair(id);
        if (!pair) throw new MeshError(404, `no pair ${id}: only the newest pairs are kept whole`);
        return pair;
      },
      clearDiffs: ({ service }) => {
        const cleared = { cleared: this.book.clear(service) };
        this.publishNow();
        return cleared;
      },
    };
  }

  async stop(): Promise<void> {
    this.sender.stop();
    if (this.publishTimer) clearTimeout(this.publishTimer);
    await this.copies.close();
  }

  private view(rule: RuleInForce): ShadowView {
    const totals = this.book.totals(rule.service);
    return {
      service: rule.service,
      to: rule.to,
      from: rule.from ?? null,
      percent: rule.percent,
      methods: rule.methods,
      ignoreHeaders: rule.ignoreHeaders,
      origin: rule.origin,
      since: rule.since,
      warning: sideEffectWarning(rule),
      stats: this.sender.stats(rule),
      pairs: totals.pairs,
      differing: totals.differing,
    };
  }

  private publishNow(): void {
    if (this.publishTimer) clearTimeout(this.publishTimer);
    this.publishTimer = null;
    this.options.publish(this.views());
  }

  private publishSoon(): void {
    if (this.publishTimer) return;
    this.publishTimer = setTimeout(() => this.publishNow(), PUSH_EVERY_MS);
    this.publishTimer.unref();
  }
}
