/**
 * Instances registered at runtime (`meshdesk register`, the GUI's form), persisted through the
 * StateStore. The order is always persist, then publish: `register` writes the whole list with one
 * synchronous atomic `set` and only then updates the registry and returns, so anything a caller saw
 * acknowledged is on disk, and a write that throws leaves both the store and the registry as they
 * were. Records read back at start are validated with the same schema as new input, so a store
 * edited by hand cannot put a bad instance in the pool; a bad record is reported and skipped.
 */
import { registrationInputSchema, type ConfigError, type DeregistrationInput, type RegistrationInput } from '../../../shared/model.js';
import type { MeshState, StoredRegistration } from '../store/mesh-state.js';
import type { StateStore } from '../store/state-store.js';
import { nonLoopbackWarning } from './address.js';
import type { InstanceEntry, Registry } from './registry.js';
import { MeshError } from '../mesh-error.js';

export const RUNTIME_SOURCE = 'runtime';

/** A registration the mesh refuses; the message is meant for the user as it is. */
export class RegistrationError extends MeshError {
  override readonly name = 'RegistrationError';
}

export interface RegisterResult {
  registration: StoredRegistration;
  /** True when it replaced an earlier registration of the same instance. */
  replaced: boolean;
  warnings: string[];
}

export class RuntimeRegistrations {
  private readonly store: StateStore<MeshState>;
  private readonly registry: Registry;
  private registrations: StoredRegistration[] = [];

  constructor(store: StateStore<MeshState>, registry: Registry) {
    this.store = store;
    this.registry = registry;
  }

  /** Reads what was registered before; returns the records it could not use. */
  load(): ConfigError[] {
    const problems: ConfigError[] = [];
    let stored: unknown;
    try {
      stored = this.store.get('registrations') ?? [];
    } catch (error) {
      return [{ file: 'state store', line: 0, column: 0, message: `cannot read registrations: ${(error as Error).message}` }];
    }
    const records = Array.isArray(stored) ? stored : [];
    this.registrations = [];
    records.forEach((record: unknown, index) => {
      const parsed = registrationInputSchema.safeParse(stripTime(record));
      if (!parsed.success) {
        const message = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'record'}: ${issue.message}`).join('; ');
        problems.push({ file: 'state store', line: 0, column: 0, message: `registration ${index + 1} skipped: ${message}` });
        return;
      }
      const registeredAt = (record as { registeredAt?: unknown }).registeredAt;
      this.registrations.push({ ...parsed.data, registeredAt: typeof registeredAt === 'string' ? registeredAt : new Date(0).toISOString() });
    });
    this.publish();
    return problems;
  }

  list(): readonly StoredRegistration[] {
    return this.registrations;
  }

  /** Validates, persists, then publishes. An instance serves one version of a service: registering
   * the same service and address again replaces the earlier registration. */
  register(input: RegistrationInput): RegisterResult {
    const parsed = registrationInputSchema.safeParse(input);
    if (!parsed.success) {
      throw new RegistrationError(400, parsed.error.issues.map((issue) => `${issue.path.join('.') || 'registration'}: ${issue.message}`).join('; '));
    }
    const registration: StoredRegistration = { ...parsed.data, registeredAt: new Date().toISOString() };
    const same = (other: StoredRegistration) => other.service === registration.service && sameAddress(other.address, registration.address);
    const replaced = this.registrations.some(same);
    this.commit([...this.registrations.filter((other) => !same(other)), registration]);
    const warning = nonLoopbackWarning(registration.address);
    return { registration, replaced, warnings: warning ? [warning] : [] };
  }

  /** Removes runtime registrations of the instance; explains why when there is nothing to remove. */
  deregister(input: DeregistrationInput): StoredRegistration[] {
    const matches = (other: StoredRegistration) =>
      other.service === input.service.toLowerCase() &&
      sameAddress(other.address, input.address) &&
      (input.version === undefined || other.version === input.version);
    const removed = this.registrations.filter(matches);
    if (removed.length === 0) throw new RegistrationError(404, this.whyNotRegistered(input));
    this.commit(this.registrations.filter((other) => !matches(other)));
    return removed;
  }

  private commit(next: StoredRegistration[]): void {
    this.store.set('registrations', next);
    this.registrations = next;
    this.publish();
  }

  private publish(): void {
    const entries: InstanceEntry[] = this.registrations.map((registration) => ({
      service: registration.service,
      version: registration.version,
      address: registration.address,
      origin: registration.origin,
      ...(registration.labels ? { labels: registration.labels } : {}),
      ...(registration.healthCheck ? { healthCheck: registration.healthCheck } : {}),
    }));
    this.registry.replaceSource(RUNTIME_SOURCE, entries);
  }

  private whyNotRegistered(input: DeregistrationInput): string {
    const service = this.registry.lookup(input.service);
    const declared = [...(service?.versions ?? [])]
      .filter(([version]) => input.version === undefined || version === input.version)
      .flatMap(([, instances]) => instances)
      .find((instance) => sameAddress(instance.address, input.address));
    const what = `${input.service}${input.version ? `@${input.version}` : ''} ${input.address}`;
    if (declared) return `${what} comes from ${declared.origin}, not from a runtime registration: remove it there`;
    return `${what} is not registered`;
  }
}

function sameAddress(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function stripTime(record: unknown): unknown {
  if (typeof record !== 'object' || record === null) return record;
  const { registeredAt: _registeredAt, ...rest } = record as Record<string, unknown>;
  return rest;
}
