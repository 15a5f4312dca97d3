/**
 * The shadow rules in force, one per service: meshdesk.yaml's `shadow:` and those set through the
 * admin API (CLI, GUI), which override it and are persisted like routes so they survive a restart.
 * A later change of the same service's `shadow:` in meshdesk.yaml replaces the override: the newest
 * intent wins, as for routes.
 */
import type { MeshConfig } from '../../../shared/config-schema.js';
import { SAFE_SHADOW_METHODS, type ShadowRule } from '../../../shared/shadow.js';
import { MeshError } from '../mesh-error.js';
import type { ServiceRecord } from '../registry/registry.js';

/** A rule with the time it started (its stats and pairs count from then). */
export type RuleInForce = ShadowRule & { since: string };

export interface ShadowRulesOptions {
  lookup: (service: string) => ServiceRecord | undefined;
  /** Persisted overrides, service → rule, loaded at start. */
  overrides: Record<string, RuleInForce>;
  saveOverrides: (overrides: Record<string, RuleInForce>) => void;
  now?: () => Date;
}

type Listener = (service: string) => void;

export class ShadowRules {
  private readonly rules = new Map<string, RuleInForce>();
  private readonly fromConfig = new Map<string, ShadowRule>();
  private readonly overrides: Map<string, RuleInForce>;
  private readonly listeners = new Set<Listener>();

  constructor(private readonly options: ShadowRulesOptions) {
    this.overrides = new Map(Object.entries(options.overrides));
    for (const [service, rule] of this.overrides) this.rules.set(service, rule);
  }

  /** The rule of a service, if it has one: read for every finished exchange, so a Map lookup. */
  get(service: string): RuleInForce | undefined {
    return this.rules.get(service);
  }

  list(): RuleInForce[] {
    return [...this.rules.values()].sort((a, b) => a.service.localeCompare(b.service));
  }

  get size(): number {
    return this.rules.size;
  }

  /** Starts or replaces a service's rule; throws MeshError (404 unknown service, 400 unknown or equal versions). */
  start(rule: ShadowRule): RuleInForce {
    const record = this.options.lookup(rule.service);
    if (!record) throw new MeshError(404, `unknown service ${rule.service}`);
    const versions = [...record.versions.keys()];
    for (const version of [rule.to, rule.from]) {
      if (version !== undefined && !record.versions.has(version)) {
        throw new MeshError(400, `service ${record.name} has no version ${version} (it has ${versions.join(', ')})`);
      }
    }
    if (rule.from === rule.to) throw new MeshError(400, `shadow copies requests to another version: from and to are both ${rule.to}`);
    if (versions.length < 2)
      throw new MeshError(400, `service ${record.name} has one version (${versions.join('')}): there is no other version to copy its requests to`);
    const inForce: RuleInForce = { ...rule, service: record.name, since: this.now().toISOString() };
    this.overrides.set(record.name, inForce);
    this.persist();
    this.set(record.name, inForce);
    return inForce;
  }

  /** Stops a service's rule; one from meshdesk.yaml comes back when the file changes it or at the next start. False when it had none. */
  stop(service: string): boolean {
    const name = this.options.lookup(service)?.name ?? service;
    if (!this.rules.has(name)) return false;
    this.overrides.delete(name);
    this.persist();
    this.set(name, undefined);
    return true;
  }

  /** Applies meshdesk.yaml's rules; a service whose `shadow:` changed loses its override. */
  applyConfig(rules: ReadonlyMap<string, ShadowRule>): void {
    const services = new Set([...rules.keys(), ...this.fromConfig.keys()]);
    for (const service of services) {
      const next = rules.get(service);
      const previous = this.fromConfig.get(service);
      if (JSON.stringify(previous) === JSON.stringify(next)) continue;
      if (next) this.fromConfig.set(service, next);
      else this.fromConfig.delete(service);
      if (this.overrides.delete(service)) this.persist();
      this.set(service, next ? { ...next, since: this.now().toISOString() } : undefined);
    }
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(service: string, rule: RuleInForce | undefined): void {
    if (rule) this.rules.set(service, rule);
    else this.rules.delete(service);
    for (const listener of this.listeners) listener(service);
  }

  private persist(): void {
    this.options.saveOverrides(Object.fromEntries(this.overrides));
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }
}

/** Said wherever a rule is shown when it mirrors methods with side effects. */
export function sideEffectWarning(rule: ShadowRule): string | null {
  const unsafe = rule.methods.filter((method) => !SAFE_SHADOW_METHODS.includes(method));
  if (unsafe.length === 0) return null;
  const from = rule.from ?? `versions other than ${rule.to}`;
  return `${unsafe.join(', ')} requests are copied: each one to ${from} also runs on ${rule.to}, so its side effects (writes, emails, payments) happen twice`;
}

/** The rules meshdesk.yaml declares, in the table's shape. */
export function configShadows(config: MeshConfig): Map<string, ShadowRule> {
  const rules = new Map<string, ShadowRule>();
  for (const [service, serviceConfig] of Object.entries(config.services)) {
    const shadow = serviceConfig.shadow;
    if (!shadow) continue;
    rules.set(service, {
      service,
      to: shadow.to,
      ...(shadow.from === undefined ? {} : { from: shadow.from }),
      percent: shadow.percent ?? 100,
      methods: (shadow.methods ?? []).map((method) => method.toUpperCase()),
      ignoreHeaders: (shadow.ignoreHeaders ?? []).map((name) => name.toLowerCase()),
      origin: 'config',
    });
  }
  return rules;
}
