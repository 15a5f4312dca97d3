/**
 * Runs the active health checks of every checked instance in the registry and writes the results
 * back as health transitions (each one a registry event with its reason). It follows the registry:
 * a new or changed check starts at once, a removed instance's check stops.
 *
 * Each instance has one chain of probe → wait interval → probe, never two probes in flight, so a
 * slow instance is not piled on. Timers are unref'd: checks never keep a process alive on their own.
 * A probe that answers after its check was stopped or replaced is ignored.
 */
import type { HealthCheck } from '../../../shared/config-schema.js';
import type { CheckedInstance, Registry } from '../registry/registry.js';
import { HealthTracker } from './health-tracker.js';
import { probe } from './probe.js';

interface RunningCheck {
  signature: string;
  timer: NodeJS.Timeout | null;
  stopped: boolean;
}

export class HealthChecker {
  private readonly registry: Registry;
  private readonly running = new Map<string, RunningCheck>();
  private unsubscribe: (() => void) | null = null;

  constructor(registry: Registry) {
    this.registry = registry;
  }

  start(): void {
    if (this.unsubscribe) return;
    this.unsubscribe = this.registry.onChange((change) => {
      if (change.kind === 'services') this.sync();
    });
    this.sync();
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    for (const check of this.running.values()) halt(check);
    this.running.clear();
  }

  /** How many checks are running now (for tests and the status line). */
  get size(): number {
    return this.running.size;
  }

  private sync(): void {
    const wanted = new Map(this.registry.checkedInstances().map((target) => [target.key, target]));
    for (const [key, check] of this.running) {
      const target = wanted.get(key);
      if (!target || signatureOf(target) !== check.signature) {
        halt(check);
        this.running.delete(key);
      }
    }
    for (const [key, target] of wanted) {
      if (!this.running.has(key)) this.running.set(key, this.run(target));
    }
  }

  private run(target: CheckedInstance): RunningCheck {
    const check = target.instance.healthCheck as HealthCheck;
    const tracker = new HealthTracker(target.instance.health, check);
    const running: RunningCheck = { signature: signatureOf(target), timer: null, stopped: false };
    const once = async () => {
      running.timer = null;
      const result = await probe(target.instance.host, target.instance.port, check);
      if (running.stopped) return;
      const transition = tracker.record(result);
      if (transition) this.registry.setHealth(target.service, target.version, target.instance.address, transition.to, transition.reason);
      running.timer = setTimeout(() => void once(), check.interval).unref();
    };
    void once();
    return running;
  }
}

function signatureOf(target: CheckedInstance): string {
  return JSON.stringify(target.instance.healthCheck);
}

function halt(check: RunningCheck): void {
  check.stopped = true;
  if (check.timer) clearTimeout(check.timer);
}
