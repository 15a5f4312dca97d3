/**
 * The tray's pause/resume of the proxy. Concurrency: a click while a switch is in progress is
 * ignored rather than queued (two quick clicks must not pause and immediately resume), and a
 * failed switch leaves the state as it really is (a resume that cannot rebind stays paused and
 * says why), so the tray never shows a proxy as on when its port is closed.
 *
 * The Mesh does not offer pause/resume yet; `pausableProxy` picks the methods up when it does
 * (`pauseProxy()`: stop accepting, let in-flight requests finish; `resumeProxy()`: listen again on
 * the same port), and until then the tray shows the item disabled.
 */
import type { ProxyStatus } from './tray-menu.js';

export interface PausableProxy {
  pauseProxy(): Promise<void>;
  resumeProxy(): Promise<void>;
}

export function pausableProxy(mesh: object): PausableProxy | null {
  if (!('pauseProxy' in mesh) || !('resumeProxy' in mesh)) return null;
  const { pauseProxy, resumeProxy } = mesh;
  if (typeof pauseProxy !== 'function' || typeof resumeProxy !== 'function') return null;
  return {
    pauseProxy: () => Promise.resolve(pauseProxy.call(mesh)),
    resumeProxy: () => Promise.resolve(resumeProxy.call(mesh)),
  };
}

export class ProxySwitch {
  private current: ProxyStatus = 'on';
  private lastProblem: string | null = null;

  constructor(
    private readonly proxy: PausableProxy | null,
    private readonly onChange: () => void = () => undefined,
  ) {}

  get status(): ProxyStatus {
    return this.current;
  }

  get problem(): string | null {
    return this.lastProblem;
  }

  get canPause(): boolean {
    return this.proxy !== null;
  }

  /** Pauses a running proxy or resumes a paused one; resolves when the switch is over. */
  async toggle(): Promise<void> {
    if (!this.proxy || this.current === 'switching') return;
    const from = this.current;
    this.set('switching', this.lastProblem);
    try {
      if (from === 'on') await this.proxy.pauseProxy();
      else await this.proxy.resumeProxy();
      this.set(from === 'on' ? 'paused' : 'on', null);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.set(from, `Cannot ${from === 'on' ? 'pause' : 'resume'}: ${message}`);
    }
  }

  private set(status: ProxyStatus, problem: string | null): void {
    this.current = status;
    this.lastProblem = problem;
    this.onChange();
  }
}
