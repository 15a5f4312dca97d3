/**
 * The Mesh: one object that wires the registry, the proxy and the admin server, and starts and
 * stops them together. Plain Node: the CLI runs it headless and the Electron shell runs it in its
 * main process.
 */
import type { Server } from 'node:http';
import type { MeshInfo } from '../../shared/api.js';
import type { MeshConfig } from '../../shared/config-schema.js';
import type { ConfigError } from '../../shared/model.js';
import { AdminAuth } from './admin/admin-auth.js';
import { createAdminServer } from './admin/admin-server.js';
import { PushStream } from './admin/push-stream.js';
import { loadConfigFile } from './config/config-file.js';
import { listen } from './listen.js';
import { ProxyServer } from './proxy/proxy-server.js';
import { RequestEvents } from './proxy/request-events.js';
import { Registry } from './registry/registry.js';
import { MESHDESK_VERSION } from './version.js';

export interface MeshOptions {
  proxyHost: string;
  proxyPort: number;
  adminHost: string;
  adminPort: number;
  /** The workspace's meshdesk.yaml, or null to start with no services. */
  configFile: string | null;
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

const CONFIG_SOURCE = 'config';

export class Mesh {
  readonly registry = new Registry();
  readonly events = new RequestEvents();
  private config: MeshConfig = { proxy: { mode: 'passthrough' }, services: {} };
  private configErrors: ConfigError[] = [];
  private readonly proxy: ProxyServer;
  private readonly admin: Server;
  readonly auth: AdminAuth;
  private readonly push = new PushStream();
  private addresses: MeshAddresses | null = null;
  private readonly startedAt = new Date();

  constructor(private readonly options: MeshOptions) {
    this.proxy = new ProxyServer({
      registry: this.registry,
      events: this.events,
      mode: () => this.config.proxy.mode,
      maxHops: 4,
      upstreamTimeoutMs: options.upstreamTimeoutMs ?? 10_000,
    });
    this.auth = new AdminAuth(options.adminToken ?? AdminAuth.newToken(), () => this.ownAdminOrigins());
    this.admin = createAdminServer({
      handlers: {
        getInfo: () => this.info(),
        listServices: () => this.registry.list(),
        createLoginUrl: () => ({ url: this.newLoginUrl() }),
      },
      auth: this.auth,
      push: this.push,
      pushSnapshot: () => [
        { kind: 'info', info: this.info() },
        { kind: 'services', services: this.registry.list() },
      ],
      metricsText: () => '',
      rendererRoot: options.rendererRoot,
    });
    this.registry.onChange(() => this.push.publish({ kind: 'services', services: this.registry.list() }));
    this.events.subscribe((event) => this.push.publish({ kind: 'request', event }));
  }

  /** Loads the config, then binds the proxy and admin listeners. Rejects with PortInUseError. */
  async start(): Promise<MeshAddresses> {
    await this.reloadConfig();
    const proxyPort = await listen(this.proxy.server, 'proxy', this.options.proxyHost, this.options.proxyPort);
    let adminPort: number;
    try {
      adminPort = await listen(this.admin, 'admin', this.options.adminHost, this.options.adminPort);
    } catch (error) {
      await closeServer(this.proxy.server, 0);
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
    this.push.close();
    await Promise.all([closeServer(this.proxy.server, graceMs), closeServer(this.admin, graceMs)]);
    await this.proxy.close();
  }

  get configErrorList(): readonly ConfigError[] {
    return this.configErrors;
  }

  private async reloadConfig(): Promise<void> {
    if (!this.options.configFile) return;
    const result = await loadConfigFile(this.options.configFile);
    if (!result.ok) {
      // The last good config stays in force; the errors are shown wherever the user looks.
      this.configErrors = result.errors;
      return;
    }
    this.configErrors = [];
    this.config = result.loaded.config;
    this.registry.replaceSource(CONFIG_SOURCE, result.loaded.entries);
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
      configErrors: this.configErrors,
      startedAt: this.startedAt.toISOString(),
    };
  }
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

function closeServer(server: Server, graceMs: number): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    const cut = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearTimeout(cut);
      resolve();
    });
    server.closeIdleConnections();
  });
}
