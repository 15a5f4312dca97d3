/**
 * The Mesh: one object that wires the registry, the proxy and the admin server, and starts and
 * stops them together. Plain Node: the CLI runs it headless and the Electron shell runs it in its
 * main process.
 */
import type { Server } from 'node:http';
import path from 'node:path';
import type { MeshInfo } from '../../shared/api.js';
import { meshConfigSchema, type MeshConfig, type TelemetryConfig } from '../../shared/config-schema.js';
import type { ConfigError, DeregistrationInput, RegistrationInput } from '../../shared/model.js';
import { AdminAuth } from './admin/admin-auth.js';
import { createAdminServer } from './admin/admin-server.js';
import { PushStream } from './admin/push-stream.js';
import { ConfigWatcher } from './config/config-watcher.js';
import { DiscoSource } from './config/disco-source.js';
import { DEMO_SOURCE, DemoLoader } from './demo/demo-loader.js';
import { HealthChecker } from './health/health-checker.js';
import { closeServer, listen, urlHost } from './listen.js';
import { DEFAULT_PROXY_LIMITS } from './proxy/proxy-limits.js';
import { ProxyServer } from './proxy/proxy-server.js';
import { describeInstanceEvent } from './resilience/instance-events.js';
import { PolicyBook } from './resilience/service-policy.js';
import { RequestEvents } from './proxy/request-events.js';
import { Registry } from './registry/registry.js';
import { describeRegistryChange } from './registry/describe-change.js';
import { RuntimeRegistrations, type RegisterResult } from './registry/runtime-registrations.js';
import { adminHandlers, routeViews } from './mesh-admin.js';
import { ServiceViews } from './service-views.js';
import { configRoutes } from './routing/config-routes.js';
import { FaultTable } from './routing/fault-table.js';
import { RouteTable } from './routing/route-table.js';
import { RouteGuards } from './routing/route-guards.js';
import { ConnectionCallers, servicePortsOf } from './telemetry/connection-callers.js';
import { Telemetry } from './telemetry/telemetry.js';
import { changedTelemetry, telemetrySettingsOf } from './telemetry/telemetry-settings.js';
import { emptyMeshState, type MeshState, type StoredRegistration } from './store/mesh-state.js';
import { MemoryStore } from './store/memory-store.js';
import type { StateStore } from './store/state-store.js';
import { MESHDESK_VERSION } from './version.js';
import { LazyGrpcDecoder } from './grpc/lazy-decoder.js';
import { BypassWatcher } from './bypass/bypass-watcher.js';
import { watchBypasses, watchedInstances } from './bypass/bypass-wiring.js';
import type { MockBook } from './mock/mock-book.js';
import { createMockBook } from './mock/mock-wiring.js';
import { Shadowing } from './shadow/shadowing.js';
import type { ShadowView } from '../../shared/shadow.js';

export interface MeshOptions {
  proxyHost: string;
  proxyPort: number;
  adminHost: string;
  adminPort: number;
  /** The workspace's meshdesk.yaml, or null to start with no services. */
  configFile: string | null;
  /** A Linkerd-style disco/ folder; default: `disco/` next to the config file, none without one. */
  discoDir?: string | null;
  /** Where runtime registrations persist: JsonFileStore headless, electron-store in the app; memory by default. */
  stateStore?: StateStore<MeshState>;
  /** Where reloads, config errors and health changes are logged after start (default: stdout). */
  log?: (line: string) => void;
  /** The built dashboard to serve at the admin address. */
  rendererRoot: string;
  upstreamTimeoutMs?: number;
  /** The admin API token; a fresh random one when not given (the caller persists it). */
  adminToken?: string;
}

export interface MeshAddresses {
  proxyUrl: string;
  adminUrl: string;
  proxyPort: number;
  adminPort: number;
  /** One-time URL that logs a browser into the dashboard. */
  loginUrl: string;
}

/** The config of an empty meshdesk.yaml: every default. */
const NO_CONFIG: MeshConfig = meshConfigSchema.parse({});

export class Mesh {
  readonly registry: Registry;
  readonly events: RequestEvents;
  private readonly configWatcher: ConfigWatcher | null;
  private readonly disco: DiscoSource | null;
  private readonly health: HealthChecker;
  private readonly runtime: RuntimeRegistrations;
  /** Recordings replayed as `<service>@recorded` (mock/). */
  readonly mocks: MockBook;
  /** Shadow traffic to another version and the diffs of its answers (shadow/). */
  private readonly shadowing: Shadowing;
  readonly routes: RouteTable;
  private readonly guards: RouteGuards;
  readonly faults = new FaultTable();
  readonly telemetry: Telemetry;
  private statsTimer: NodeJS.Timeout | null = null;
  private storeProblems: ConfigError[] = [];
  private readonly log: (line: string) => void;
  private readonly proxy: ProxyServer;
  private readonly admin: Server;
  readonly auth: AdminAuth;
  private readonly push = new PushStream();
  /** The registry's services with each instance's health from traffic. */
  private readonly services: ServiceViews;
  private readonly demo: DemoLoader;
  /** Local processes calling instances straight, past the proxy, seen in the OS connection table. */
  private readonly bypasses: BypassWatcher;
  private addresses: MeshAddresses | null = null;
  private readonly startedAt = new Date();
  /** The telemetry settings the parts were built with, and those of the latest good meshdesk.yaml. */
  private readonly telemetryInForce: TelemetryConfig;
  private telemetryInYaml: TelemetryConfig;

  /**
   * Reads meshdesk.yaml, then builds every part from it: the request log's size and masking, the
   * failure rule and the bytes of bodies captured are constructor options, never patched later.
   * The file is read but not yet watched, so a mesh that is never started holds no watcher;
   * `start` loads the other sources, starts watching and binds the listeners.
   */
  static async create(options: MeshOptions): Promise<Mesh> {
    const registry = new Registry();
    // Sources are merged in this order: the first to name an instance is the origin shown.
    registry.replaceSource('config', []);
    registry.replaceSource('disco', []);
    registry.replaceSource('runtime', []);
    registry.replaceSource(DEMO_SOURCE, []);
    // The first read has no mesh to tell yet; `start` applies what it read.
    let mesh: Mesh | null = null;
    const configWatcher = options.configFile
      ? new ConfigWatcher({ file: options.configFile, registry, onReload: (reload) => mesh?.reported('config', reload) })
      : null;
    await configWatcher?.reload();
    mesh = new Mesh(options, registry, configWatcher);
    return mesh;
  }

  private constructor(
    private readonly options: MeshOptions,
    registry: Registry,
    configWatcher: ConfigWatcher | null,
  ) {
    this.registry = registry;
    this.configWatcher = configWatcher;
    this.telemetryInForce = this.config.telemetry;
    this.telemetryInYaml = this.config.telemetry;
    const settings = telemetrySettingsOf(this.config.telemetry);
    this.telemetry = new Telemetry(settings.telemetry);
    this.services = new ServiceViews(this.registry, this.telemetry, this.push);
    // Requests that do not name their caller are attributed by the OS: the process owning the
    // client socket, matched to the registered service it serves (once per connection).
    const callers = new ConnectionCallers();
    const servicePorts = servicePortsOf(this.registry);
    this.events = new RequestEvents();
    this.log = options.log ?? ((line) => console.log(line));
    this.demo = new DemoLoader({
      registry: this.registry,
      proxyUrl: () => this.addresses?.proxyUrl ?? '',
      log: this.log,
      onChange: () => this.push.publish({ kind: 'info', info: this.info() }),
    });
    const discoDir = options.discoDir === undefined ? (options.configFile ? path.join(path.dirname(options.configFile), 'disco') : null) : options.discoDir;
    this.disco = discoDir
      ? new DiscoSource({ directory: discoDir, registry: this.registry, onReload: (problems) => this.reported('disco', { problems }) })
      : null;
    this.health = new HealthChecker(this.registry);
    const store = options.stateStore ?? new MemoryStore(emptyMeshState());
    this.runtime = new RuntimeRegistrations(store, this.registry);
    this.mocks = createMockBook(this.registry, store, options.configFile, discoDir);
    this.routes = new RouteTable({
      lookup: (service) => this.registry.lookup(service),
      overrides: store.get('routes') ?? {},
      saveOverrides: (overrides) => store.set('routes', overrides),
    });
    this.guards = new RouteGuards({ routes: this.routes, telemetry: this.telemetry });
    const timeoutMs = options.upstreamTimeoutMs ?? DEFAULT_PROXY_LIMITS.upstreamTimeoutMs;
    const publishShadows = (shadows: ShadowView[]) => this.push.publish({ kind: 'shadows', shadows });
    this.shadowing = new Shadowing({ registry, store, bus: this.events, telemetry: this.config.telemetry, timeoutMs, publish: publishShadows });
    const policies = new PolicyBook({
      requestTimeoutMs: timeoutMs,
      connectTimeoutMs: DEFAULT_PROXY_LIMITS.connectTimeoutMs,
    });
    this.proxy = new ProxyServer({
      registry: this.registry,
      events: this.events,
      attribute: (socket) => callers.attributeConnection(socket, servicePorts),
      mode: () => this.config.proxy.mode,
      maxHops: 4,
      limits: options.upstreamTimeoutMs === undefined ? {} : { upstreamTimeoutMs: options.upstreamTimeoutMs },
      routes: this.routes,
      faults: this.faults,
      policy: (service) => policies.get(this.config, service),
      captureBodyBytes: settings.captureBodyBytes,
      grpcFailure: settings.grpcFailure,
    });
    this.bypasses = new BypassWatcher({ instances: () => watchedInstances(this.registry), proxyUrl: () => this.addresses?.proxyUrl ?? '' });
    this.auth = new AdminAuth(options.adminToken ?? AdminAuth.newToken(), () => this.ownAdminOrigins());
    this.admin = createAdminServer({
      handlers: adminHandlers({
        info: () => this.info(),
        stats: () => this.telemetry.snapshot(),
        demo: this.demo,
        proxyUrl: () => this.addresses?.proxyUrl ?? '',
        newLoginUrl: () => this.newLoginUrl(),
        registry: this.registry,
        services: () => this.services.list(),
        runtime: this.runtime,
        routes: this.routes,
        guards: this.guards,
        faults: this.faults,
        telemetry: this.telemetry,
        bypasses: () => this.bypasses.list(),
        grpcDecoder: new LazyGrpcDecoder(() => ({
          paths: this.config.protoPaths,
          baseDir: options.configFile ? path.dirname(options.configFile) : process.cwd(),
        })),
        config: () => this.config,
        mocks: this.mocks,
        shadowing: this.shadowing,
      }),
      auth: this.auth,
      push: this.push,
      pushSnapshot: () => [
        { kind: 'info', info: this.info() },
        { kind: 'services', services: this.services.list() },
        { kind: 'routes', routes: routeViews(this.registry, this.routes, this.guards) },
        { kind: 'faults', faults: this.faults.list() },
        { kind: 'stats', stats: this.telemetry.snapshot() },
        { kind: 'bypasses', bypasses: this.bypasses.list() },
        { kind: 'mocks', mocks: this.mocks.list() },
        { kind: 'shadows', shadows: this.shadowing.views() },
      ],
      metricsText: () => this.telemetry.metricsText(),
      rendererRoot: options.rendererRoot,
    });
    this.registry.onChange(() => this.services.publishNow());
    for (const part of [this.routes, this.guards])
      part.onChange(() => this.push.publish({ kind: 'routes', routes: routeViews(this.registry, this.routes, this.guards) }));
    this.faults.onChange((faults) => this.push.publish({ kind: 'faults', faults }));
    this.mocks.onChange((mocks) => this.push.publish({ kind: 'mocks', mocks }));
    this.telemetry.attach(this.events, this.proxy);
    this.telemetry.onRecorded((event) => this.push.publish({ kind: 'request', event }));
    this.telemetry.onInstanceEvent((event) => {
      this.log(describeInstanceEvent(event));
      this.push.publish({ kind: 'instance', event });
    });
  }

  /**
   * Loads the other sources and starts watching them all, then binds the listeners. Rejects with
   * PortInUseError, having stopped what it started (watchers, health checks, the proxy's port).
   */
  async start(): Promise<MeshAddresses> {
    this.storeProblems = [...this.runtime.load(), ...(await this.mocks.load())];
    await this.configWatcher?.start();
    this.routes.applyConfig(configRoutes(this.config));
    this.shadowing.applyConfig(this.config);
    await this.disco?.start();
    this.health.start();
    this.registry.onChange((change) => this.log(describeRegistryChange(change)));
    watchBypasses(this.bypasses, this.registry, (bypasses) => this.push.publish({ kind: 'bypasses', bypasses }), this.log);
    // Stats are pushed about once a second while anyone listens; so are services whose traffic health changed.
    this.statsTimer = setInterval(() => {
      if (!this.push.listening) return;
      this.push.publish({ kind: 'stats', stats: this.telemetry.snapshot() });
      this.services.publishIfTrafficChanged();
    }, 1_000);
    this.statsTimer.unref();
    let proxyPort: number;
    let adminPort: number;
    try {
      proxyPort = await listen(this.proxy.server, 'proxy', this.options.proxyHost, this.options.proxyPort);
      adminPort = await listen(this.admin, 'admin', this.options.adminHost, this.options.adminPort);
    } catch (error) {
      // The desktop app retries with a new Mesh on other ports: this one must not keep checking
      // health and logging in the background.
      await this.stop(0);
      throw error;
    }
    this.addresses = {
      proxyUrl: `http://${urlHost(this.options.proxyHost)}:${proxyPort}`,
      adminUrl: `http://${urlHost(this.options.adminHost)}:${adminPort}`,
      proxyPort,
      adminPort,
      loginUrl: '',
    };
    this.addresses.loginUrl = this.newLoginUrl();
    return this.addresses;
  }

  /** Stops accepting, lets in-flight requests finish for up to `graceMs`, then cuts the rest. */
  async stop(graceMs = 5_000): Promise<void> {
    this.configWatcher?.close();
    this.disco?.close();
    this.health.stop();
    this.bypasses.stop();
    this.guards.stop();
    if (this.statsTimer) clearInterval(this.statsTimer);
    this.push.close();
    const parts = [this.demo.unload(), this.mocks.close(), this.shadowing.stop()];
    await Promise.all([closeServer(this.proxy.server, graceMs), closeServer(this.admin, graceMs), ...parts]);
    await this.proxy.close();
  }

  /**
   * Stops the proxy listener (in-flight requests finish, for up to `graceMs`) while the admin API
   * and dashboard stay up; `resumeProxy` listens on the same port again.
   */
  async pauseProxy(graceMs = 2_000): Promise<void> {
    await closeServer(this.proxy.server, graceMs);
  }

  /** Rejects with PortInUseError when another process took the port meanwhile. */
  async resumeProxy(): Promise<void> {
    if (this.proxy.server.listening || !this.addresses) return;
    await listen(this.proxy.server, 'proxy', this.options.proxyHost, this.addresses.proxyPort);
  }

  get proxyListening(): boolean {
    return this.proxy.server.listening;
  }

  get configErrorList(): readonly ConfigError[] {
    return this.configErrors;
  }

  /** Registers an instance at runtime (origin CLI or GUI); persisted before it returns. Throws RegistrationError. */
  register(input: RegistrationInput): RegisterResult {
    return this.runtime.register(input);
  }

  /** Removes runtime registrations of an instance; throws RegistrationError saying why when there are none. */
  deregister(input: DeregistrationInput): StoredRegistration[] {
    return this.runtime.deregister(input);
  }

  /** The config in force: the last good meshdesk.yaml (a broken save does not replace it). */
  private get config(): MeshConfig {
    return this.configWatcher?.config ?? NO_CONFIG;
  }

  /** Errors and warnings of every source: meshdesk.yaml, disco/ and the state store. */
  private get configErrors(): ConfigError[] {
    return [...(this.configWatcher?.problems ?? []), ...(this.disco?.problems ?? []), ...this.storeProblems];
  }

  private reported(what: string, reload: { ok?: boolean; problems: readonly ConfigError[] }): void {
    if (what === 'config') {
      this.routes.applyConfig(configRoutes(this.config));
      this.shadowing.applyConfig(this.config);
    }
    if (!this.addresses) return; // before start, run-mesh's banner prints them
    this.push.publish({ kind: 'info', info: this.info() });
    const errors = reload.problems.filter((problem) => problem.severity !== 'warning');
    if (reload.ok === false) this.log(`meshdesk: ${what} not reloaded, the last good one stays in force:`);
    else if (errors.length === 0) this.log(`meshdesk: ${what} reloaded`);
    for (const problem of reload.problems) {
      this.log(`meshdesk: ${problem.severity ?? 'error'} ${problem.file}:${problem.line}:${problem.column} ${problem.message}`);
    }
    if (what === 'config' && reload.ok !== false) this.noteTelemetryChange();
  }

  /** A reload that changes telemetry settings says, once, that they wait for the next start. */
  private noteTelemetryChange(): void {
    const before = this.telemetryInYaml;
    const after = this.config.telemetry;
    this.telemetryInYaml = after;
    if (changedTelemetry(before, after).length === 0) return;
    const waiting = changedTelemetry(this.telemetryInForce, after).map((name) => `telemetry.${name}`);
    if (waiting.length > 0) {
      this.log(`meshdesk: ${waiting.join(', ')} changed; telemetry settings take effect at the next start, the ones read at start stay in force`);
    }
  }

  private newLoginUrl(): string {
    return `${this.addresses?.adminUrl ?? ''}/login?code=${this.auth.newLoginCode()}`;
  }

  private ownAdminOrigins(): string[] {
    const port = this.addresses?.adminPort;
    return port === undefined ? [] : [`http://127.0.0.1:${port}`, `http://localhost:${port}`, `http://[::1]:${port}`];
  }

  private info(): MeshInfo {
    return {
      version: MESHDESK_VERSION,
      proxyUrl: this.addresses?.proxyUrl ?? '',
      adminUrl: this.addresses?.adminUrl ?? '',
      configFile: this.options.configFile,
      discoDir: this.disco?.directory ?? null,
      configErrors: this.configErrors,
      startedAt: this.startedAt.toISOString(),
      demoLoaded: this.demo.running,
    };
  }
}
