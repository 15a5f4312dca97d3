/**
 * The dashboard's one push stream: it keeps a MeshState fed and says how the connection stands.
 * It is opened by main.tsx before React renders anything, not from an effect after the first
 * commit: the mesh then builds its first batch (for a 200-service mesh about 1 MB of state) while
 * the page is still evaluating its scripts and mounting, instead of only once the page is idle.
 * It lives as long as the page.
 *
 * EventSource reconnects by itself; when it fails, one plain API call tells a sign-in problem (401)
 * apart from a mesh that is down. A batch that does not fit the contract stops the stream: what
 * follows it could not be trusted either.
 *
 * The stream carries request events only while a view wants them (MeshState.wantsRequests): when
 * that changes (the request log opens or closes) the stream is opened again with the other scope.
 * The switch goes through `connected` false then true, which is what makes the request log fetch
 * from the mesh's log whatever arrived between the two streams.
 */
import { SignInRequiredError, type AdminClient } from '../../shared/admin-client.js';
import { SSE_EVENT } from '../../shared/push.js';
import { MeshState } from './mesh-state.js';

/** `incompatible`: the mesh sent a batch that does not fit the contract; the stream is closed (see MeshSnapshot.pushError). */
export type Connection = 'connecting' | 'live' | 'sign-in' | 'offline' | 'incompatible';

export class PushConnection {
  readonly state = new MeshState();
  private status: Connection = 'connecting';
  private readonly listeners = new Set<() => void>();
  private source: EventSource | null = null;
  private scope = false;
  private pendingSwitch: ReturnType<typeof setTimeout> | null = null;

  constructor(readonly client: AdminClient) {}

  /** Opens the stream, and reopens it whenever the request log's demand changes. */
  start(): void {
    if (this.source) return;
    this.source = this.open();
    // Deferred: a page change unsubscribes and subscribes in one go, which must not reopen twice.
    this.state.onRequestDemand(() => {
      this.pendingSwitch ??= setTimeout(() => {
        this.pendingSwitch = null;
        const source = this.source;
        if (!source || this.state.wantsRequests === this.scope || source.readyState === EventSource.CLOSED) return;
        source.close();
        this.state.setConnected(false);
        this.source = this.open();
      }, 0);
    });
  }

  get connection(): Connection {
    return this.status;
  }

  /** Told when `connection` changes (use-mesh-state.ts makes it React state); returns the unsubscribe. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private setStatus(status: Connection): void {
    if (status === this.status) return;
    this.status = status;
    for (const listener of this.listeners) listener();
  }

  private open(): EventSource {
    const { client, state } = this;
    this.scope = state.wantsRequests;
    const source = new EventSource(client.eventsUrl({ requests: this.scope ? 'rows' : 'none' }));
    let incompatible = false;
    const receive = (data: string) => {
      if (incompatible) return;
      if (state.receive(data)) {
        this.setStatus('live');
        return;
      }
      incompatible = true;
      source.close();
      state.setConnected(false);
      this.setStatus('incompatible');
    };
    // Each batch is parsed in a task of its own, after the one in which the browser read it off the
    // stream: for a 200-service mesh the stats (870 KB of JSON a second) made both one task of 50–60 ms,
    // long enough to delay a click. Timers keep the batches in order. (Parsing in a worker instead
    // made the first render of that mesh about 100 ms slower on two cores: the cold worker's parse
    // competes with the page's own start, and the page then waits for it.)
    source.addEventListener(SSE_EVENT, (message) => {
      const { data } = message as MessageEvent<string>;
      setTimeout(() => receive(data), 0);
    });
    source.onerror = () => {
      state.setConnected(false);
      client.call('getInfo').then(
        () => this.setStatus('connecting'),
        (error: unknown) => {
          this.setStatus(error instanceof SignInRequiredError ? 'sign-in' : 'offline');
          if (error instanceof SignInRequiredError) source.close();
        },
      );
    };
    source.onopen = () => state.setConnected(true);
    return source;
  }
}
