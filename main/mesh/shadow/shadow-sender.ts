/**
 * Shadow traffic: reads every finished exchange off the request bus and, for a service with a
 * shadow rule, sends a copy of the request to the rule's version, then has the pair compared.
 *
 * The caller has its answer before the copy leaves: the bus is told of an exchange once it ended,
 * and copies are started on the next turn of the event loop, so shadowing adds no wait to a
 * request, only work beside it. Copies in flight are bounded; past the bound a copy is dropped and
 * counted, never queued behind the caller's traffic. Only methods without side effects are copied
 * unless the rule opts others in. Each copy is emitted on the bus flagged `shadow` (logged, counted
 * in the shadow's stats, not in the caller's), and so is each second copy sent to the primary's own
 * version to learn noise. Each copy goes with the primary's answer, and whatever sends it compares
 * the two (on the copies' thread): this thread only records the pair.
 */
import type { GrpcOutcome, ProxiedExchange } from '../../../shared/events.js';
import type { CapturedBody, ExchangeCapture, RawHeaders } from '../../../shared/exchange.js';
import { DEFAULT_DIFF_IGNORED_HEADERS, mirroredMethods, SHADOW_HEADER, type DiffSide, type ShadowStats } from '../../../shared/shadow.js';
import type { ServiceRecord } from '../registry/registry.js';
import { routable } from '../registry/registry.js';
import { headerPairs, limitBody, maskHeaders, wireBody } from '../telemetry/exchange-capture.js';
import { newHistogram } from '../telemetry/window-series.js';
import type { Answer, RawDifference } from './diff/answer.js';
import type { DiffBook } from './diff/diff-book.js';
import type { RuleInForce, ShadowRules } from './shadow-rules.js';
import { answerOfCopy, compareWith, type ComparedAnswer, type Comparison, type CopiedRequest, type CopyAnswer, type CopySending } from './shadow-request.js';

/** The bus as the sender uses it: it reads finished exchanges and emits its copies' events. */
export interface ShadowBus {
  subscribe(listener: (event: ProxiedExchange, capture?: ExchangeCapture | null) => void): () => unknown;
  emit(event: ProxiedExchange, capture?: ExchangeCapture | null): void;
  newId(): number;
}

export interface ShadowSenderOptions {
  rules: ShadowRules;
  lookup: (service: string) => ServiceRecord | undefined;
  bus: ShadowBus;
  copies: CopySending;
  book: DiffBook;
  /** Headers shown as [masked] in the pairs, as in the log. */
  maskedHeaders: ReadonlySet<string>;
  /** Bytes of each body a stored pair keeps. */
  pairBodyBytes: number;
  /** Copies in flight at most; more are dropped and counted. */
  maxInFlight: number;
  /** Told after each compared pair (the views' counts changed). */
  onPair: (service: string) => void;
}

interface Counters {
  rule: RuleInForce;
  mirrored: number;
  answered: number;
  failed: number;
  dropped: number;
  skipped: number;
  noiseProbes: number;
  pending: number;
  latency: ReturnType<typeof newHistogram>;
}

interface Job {
  counters: Counters;
  primary: ProxiedExchange;
  capture: ExchangeCapture;
  copy: CopiedRequest;
}

export class ShadowSender {
  private readonly counters = new Map<string, Counters>();
  private readonly nextInstance = new Map<string, number>();
  /** Each rule's copied methods, made once per rule rather than per exchange. */
  private readonly methodsOf = new WeakMap<RuleInForce, ReadonlySet<string>>();
  private waiting: Job[] = [];
  private inFlight = 0;
  private readonly offBus: () => unknown;

  constructor(private readonly options: ShadowSenderOptions) {
    this.offBus = options.bus.subscribe(this.exchanged);
    // A rule that starts, changes or stops starts its counts afresh.
    options.rules.onChange((service) => this.counters.delete(service));
  }

  stats(rule: RuleInForce): ShadowStats {
    const counters = this.countersOf(rule);
    const { latency } = counters;
    const percentile = (p: number) => (latency.totalCount === 0 ? null : latency.getValueAtPercentile(p) / 1_000);
    return {
      mirrored: counters.mirrored,
      answered: counters.answered,
      failed: counters.failed,
      dropped: counters.dropped,
      skipped: counters.skipped,
      pending: counters.pending,
      p50Ms: percentile(50),
      p99Ms: percentile(99),
      noiseProbes: counters.noiseProbes,
    };
  }

  stop(): void {
    this.offBus();
    this.waiting = [];
  }

  /** The bus listener: on the proxy's thread for every exchange, so it returns at once when there is nothing to copy. */
  private readonly exchanged = (event: ProxiedExchange, capture?: ExchangeCapture | null): void => {
    if (this.options.rules.size === 0 || event.kind !== 'service') return;
    const rule = this.options.rules.get(event.service);
    if (!rule || event.version === null || event.version === rule.to) return;
    if (rule.from !== undefined && event.version !== rule.from) return;
    if (event.flags?.includes('shadow') || event.status < 200 || event.method === 'CONNECT') return;
    if (!this.copiedMethods(rule).has(event.method)) return;
    if (rule.percent < 100 && Math.random() * 100 >= rule.percent) return;
    const counters = this.countersOf(rule);
    const copy = capture ? copiedRequest(event, capture) : null;
    if (!capture || !copy) {
      counters.skipped++;
      return;
    }
    if (this.inFlight + this.waiting.length >= this.options.maxInFlight) {
      counters.dropped++;
      return;
    }
    counters.pending++;
    if (this.waiting.push({ counters, primary: event, capture, copy }) === 1) setImmediate(this.sendWaiting);
  };

  private readonly sendWaiting = (): void => {
    const jobs = this.waiting;
    this.waiting = [];
    for (const job of jobs) void this.mirror(job);
  };

  private async mirror(job: Job): Promise<void> {
    const { counters, primary, copy } = job;
    const { rule } = counters;
    this.inFlight++;
    try {
      const probe = this.options.book.wantsNoiseProbe(rule.service, primary.method, primary.path);
      const comparison: Comparison = {
        primary: primaryAnswerOf(primary, job.capture),
        ignoredHeaders: [...DEFAULT_DIFF_IGNORED_HEADERS, ...rule.ignoreHeaders],
      };
      const [shadow, second] = await Promise.all([
        this.sendCopy(rule.to, primary, copy, comparison),
        probe && primary.version ? this.sendCopy(primary.version, primary, copy, comparison) : Promise.resolve(null),
      ]);
      if (!shadow) {
        counters.skipped++;
        return;
      }
      counters.mirrored++;
      if (second) counters.noiseProbes++;
      if (shadow.answer.status === 0 || shadow.answer.status >= 500) counters.failed++;
      if (shadow.answer.status !== 0) {
        counters.answered++;
        counters.latency.recordValue(Math.max(1, Math.round(shadow.answer.ms * 1_000)));
      }
      this.record(job, comparison, shadow, second);
    } finally {
      this.inFlight--;
      counters.pending--;
    }
  }

  private record(job: Job, comparison: Comparison, shadow: SentCopy, second: SentCopy | null): void {
    const { rule } = job.counters;
    const primaryAnswer = comparison.primary;
    const differences = differencesOf(comparison, shadow.answer);
    // A second copy that got no answer says nothing about noise (learning from it would hide every status change).
    const noise = second && second.answer.status !== 0 ? differencesOf(comparison, second.answer) : undefined;
    const primarySide: DiffSide = {
      version: job.primary.version ?? '',
      instance: job.primary.instance,
      exchangeId: job.primary.id,
      status: job.primary.status,
      error: job.primary.error,
      headers: this.shownHeaders(primaryAnswer.headers.flat()),
      body: this.shownBody(job.capture.responseBody),
      ms: job.primary.timings.end,
    };
    const shadowSide: DiffSide = {
      version: rule.to,
      instance: shadow.instance,
      exchangeId: shadow.eventId,
      status: shadow.answer.status,
      error: shadow.answer.error,
      headers: this.shownHeaders(shadow.answer.headers),
      body: this.shownBody(shadow.answer.body),
      ms: shadow.answer.ms,
    };
    const pair = {
      service: rule.service,
      method: job.primary.method,
      path: job.primary.path,
      at: job.primary.startedAt,
      primary: primarySide,
      shadow: shadowSide,
    };
    this.options.book.add(noise === undefined ? { ...pair, differences } : { ...pair, differences, noise });
    this.options.onPair(rule.service);
  }

  /** Sends a copy to an instance of `version` and logs it; null when the version has no instance to send to. */
  private async sendCopy(version: string, primary: ProxiedExchange, copy: CopiedRequest, comparison: Comparison): Promise<SentCopy | null> {
    const instance = this.pickInstance(primary.service, version);
    if (instance === null) return null;
    const startedAt = Date.now();
    const answer = await this.options.copies.send(instance, copy, comparison);
    const eventId = this.options.bus.newId();
    this.options.bus.emit(copyEvent(eventId, primary, version, instance, copy, answer, startedAt), {
      requestHeaders: copy.headers,
      responseHeaders: answer.headers,
      requestBody: copy.body && copy.body.length > 0 ? { bytes: copy.body, size: copy.body.length, truncated: false } : null,
      responseBody: answer.body,
    });
    return { instance, answer, eventId };
  }

  /** Round robin over the version's instances that are not failing their checks. */
  private pickInstance(service: string, version: string): string | null {
    const instances = routable(this.options.lookup(service)?.versions.get(version) ?? []);
    if (instances.length === 0) return null;
    const key = `${service}@${version}`;
    const turn = this.nextInstance.get(key) ?? 0;
    this.nextInstance.set(key, turn + 1);
    return instances[turn % instances.length]?.address ?? null;
  }

  private copiedMethods(rule: RuleInForce): ReadonlySet<string> {
    let methods = this.methodsOf.get(rule);
    if (!methods) this.methodsOf.set(rule, (methods = new Set(mirroredMethods(rule))));
    return methods;
  }

  private countersOf(rule: RuleInForce): Counters {
    let counters = this.counters.get(rule.service);
    if (!counters || counters.rule !== rule) {
      counters = { rule, mirrored: 0, answered: 0, failed: 0, dropped: 0, skipped: 0, noiseProbes: 0, pending: 0, latency: newHistogram() };
      this.counters.set(rule.service, counters);
    }
    return counters;
  }

  private shownHeaders(raw: RawHeaders): [string, string][] {
    return headerPairs(maskHeaders(raw, this.options.maskedHeaders)) ?? [];
  }

  private shownBody(body: CapturedBody | null): DiffSide['body'] {
    return body && body.size > 0 ? wireBody(limitBody(body, this.options.pairBodyBytes)) : null;
  }
}

interface SentCopy {
  instance: string;
  answer: ComparedAnswer;
  eventId: number;
}

/** The comparison the sender made; made here when it made none (a copy cut short before it left). */
function differencesOf(comparison: Comparison, answer: ComparedAnswer): RawDifference[] {
  return answer.differences ?? compareWith(comparison, answer);
}

/** The request to copy, or null when its body was not captured whole (a copy would be cut short). */
function copiedRequest(event: ProxiedExchange, capture: ExchangeCapture): CopiedRequest | null {
  const headers = capture.requestHeaders;
  if (!headers || hasShadowHeader(headers)) return null;
  const body = capture.requestBody;
  if (body?.truncated || (body === null && event.bytesIn > 0)) return null;
  const copy: CopiedRequest = { method: event.method, path: event.path, headers, body: body?.bytes ?? null };
  if (event.protocol === 'h2') copy.protocol = 'h2';
  return copy;
}

/** A request that is itself a copy (a service passing our header on to its own calls) is never copied again. */
function hasShadowHeader(headers: RawHeaders): boolean {
  for (let i = 0; i < headers.length; i += 2) if ((headers[i] as string).toLowerCase() === SHADOW_HEADER) return true;
  return false;
}

function primaryAnswerOf(event: ProxiedExchange, capture: ExchangeCapture): Answer {
  const raw = capture.responseHeaders ?? capture.responseHeaderBytes?.map((part) => Buffer.from(part).toString('latin1')) ?? [];
  const headers: string[] = [];
  // An HTTP/2 call's log keeps its pseudo-headers (`:status`); the status is compared on its own.
  for (let i = 0; i + 1 < raw.length; i += 2) if (!(raw[i] as string).startsWith(':')) headers.push(raw[i] as string, raw[i + 1] as string);
  return answerOfCopy({ status: event.status, error: event.error, headers, body: capture.responseBody, firstByteMs: null, ms: 0 });
}

function copyEvent(
  id: number,
  primary: ProxiedExchange,
  version: string,
  instance: string,
  copy: CopiedRequest,
  answer: CopyAnswer,
  startedAt: number,
): ProxiedExchange {
  const purpose =
    version === primary.version
      ? `a second copy to ${version}, to learn which fields differ between two of its answers (noise)`
      : `a shadow copy to ${version}`;
  return {
    id,
    kind: 'service',
    caller: primary.caller,
    service: primary.service,
    version,
    instance,
    method: copy.method,
    path: copy.path,
    status: answer.status,
    startedAt,
    timings: { dispatched: 0, firstByte: answer.firstByteMs, end: answer.ms },
    bytesIn: copy.body?.length ?? 0,
    bytesOut: answer.body?.size ?? 0,
    error: answer.error,
    attempts: [{ instance, status: answer.status, error: answer.error, ms: answer.ms }],
    retries: 0,
    ...(copy.protocol === 'h2' ? { protocol: 'h2' as const } : {}),
    ...(primary.grpc ? { grpc: grpcOutcome(answer) } : {}),
    flags: ['shadow'],
    decision: [
      { step: 'version', choice: version, reason: `${purpose} of exchange #${primary.id}, sent by the mesh; the caller got ${primary.version}'s answer` },
    ],
  };
}

/** A copied gRPC call's verdict, read from its answer's trailers (or headers, for a trailers-only answer). */
function grpcOutcome(answer: CopyAnswer): GrpcOutcome {
  let status: number | null = null;
  let message: string | null = null;
  for (let i = 0; i + 1 < answer.headers.length; i += 2) {
    const name = answer.headers[i];
    if (name === 'grpc-status') status = Number(answer.headers[i + 1]);
    else if (name === 'grpc-message') message = decodeURIComponent(answer.headers[i + 1] as string);
  }
  return { status: Number.isInteger(status) ? status : null, message };
}
