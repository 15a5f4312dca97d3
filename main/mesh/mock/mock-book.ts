/**
 * The mocks in force: per service, a recording replayed by a MockServer registered as the one
 * instance of `<service>@recorded` (registry source `mock`), and persisted through the StateStore
 * like runtime registrations, so a restart serves them again. What is persisted is the HAR file's
 * path and the options, not the recording: the file in the workspace is the truth, committed with
 * the project, and is read again at start (a file gone or broken is reported, and that mock skipped).
 *
 * Order, as for registrations: a mock is loaded and listening before it is persisted, and persisted
 * before it is registered, so a route can never point at a version whose answers are not ready, and
 * what a caller saw acknowledged survives a restart.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ConfigError } from '../../../shared/model.js';
import { DEFAULT_IGNORED_HEADERS, MOCK_VERSION, mockServeInputSchema, type MockServeInput, type MockView } from '../../../shared/mock.js';
import { MeshError } from '../mesh-error.js';
import type { InstanceEntry, Registry } from '../registry/registry.js';
import type { MeshState, StoredMock } from '../store/mesh-state.js';
import type { StateStore } from '../store/state-store.js';
import { MockMatcher } from './mock-matcher.js';
import { MockServer } from './mock-server.js';
import { readRecording } from './recording.js';

export const MOCK_SOURCE = 'mock';
/** Counts reach the dashboard at most this often under load. */
const PUBLISH_EVERY_MS = 250;

export interface MockBookOptions {
  registry: Registry;
  store: StateStore<MeshState>;
  /** The workspace folder (default recordings go to its mocks/), or null outside any. */
  workspace: string | null;
}

interface Served {
  stored: StoredMock;
  server: MockServer;
  address: string;
  entries: number;
  skipped: string[];
}

export class MockBook {
  private readonly served = new Map<string, Served>();
  private readonly listeners = new Set<(mocks: MockView[]) => void>();
  private publishTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: MockBookOptions) {}

  get workspace(): string | null {
    return this.options.workspace;
  }

  /** `<workspace>/mocks/<service>.har`, or a given path resolved against the workspace. */
  fileFor(service: string, given?: string): string {
    if (given !== undefined && path.isAbsolute(given)) return given;
    const root = this.options.workspace;
    if (root === null) {
      throw new MeshError(400, `this mesh has no workspace (no meshdesk.yaml or disco/): name the HAR file with an absolute path`);
    }
    return path.resolve(root, given ?? path.join('mocks', `${service}.har`));
  }

  /** Serves the mocks persisted before; returns the ones it could not (file gone, not HAR…). */
  async load(): Promise<ConfigError[]> {
    const stored = (this.options.store.get('mocks') as StoredMock[] | undefined) ?? [];
    const problems: ConfigError[] = [];
    for (const mock of Array.isArray(stored) ? stored : []) {
      try {
        const { file, ...options } = mock;
        await this.start(mockServeInputSchema.parse({ ...options, from: file }));
      } catch (error) {
        problems.push({ file: 'state store', line: 0, column: 0, message: `mock of ${String(mock.service)} not served: ${(error as Error).message}` });
      }
    }
    this.register();
    return problems;
  }

  /** Loads the recording, serves it as `<service>@recorded`, persists, registers. Throws MeshError. */
  async serve(input: MockServeInput): Promise<MockView> {
    const parsed = mockServeInputSchema.safeParse(input);
    if (!parsed.success) throw new MeshError(400, parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
    const view = await this.start(parsed.data);
    this.persist();
    this.register();
    return view;
  }

  /** Removes the service's mock (its version `recorded` goes with it). */
  async stop(service: string): Promise<MockView[]> {
    const served = this.served.get(service);
    if (!served) throw new MeshError(404, `${service} has no mock`);
    this.served.delete(service);
    this.persist();
    this.register();
    await served.server.close();
    return this.list();
  }

  list(): MockView[] {
    return [...this.served.values()].map(({ stored, server, address, entries, skipped }) => ({
      service: stored.service,
      version: MOCK_VERSION,
      file: stored.file,
      address,
      matching: stored.matching,
      ignoreHeaders: stored.ignoreHeaders ?? [...DEFAULT_IGNORED_HEADERS],
      replayLatency: stored.replayLatency,
      entries,
      skipped,
      hits: server.hits,
      misses: server.misses,
      recentMisses: [...server.recentMisses],
    }));
  }

  onChange(listener: (mocks: MockView[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.publishTimer !== null) clearTimeout(this.publishTimer);
    await Promise.all([...this.served.values()].map((served) => served.server.close()));
    this.served.clear();
  }

  private async start(input: ReturnType<typeof mockServeInputSchema.parse>): Promise<MockView> {
    const file = this.fileFor(input.service, input.from);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new MeshError(
        code === 'ENOENT' ? 404 : 400,
        `cannot read ${file}: ${code === 'ENOENT' ? 'no such file (record one first: meshdesk mock record)' : (error as Error).message}`,
      );
    }
    let recording: ReturnType<typeof readRecording>;
    try {
      recording = readRecording(text, input.service);
    } catch (error) {
      throw new MeshError(400, `${file} is ${(error as Error).message}`);
    }
    if (recording.entries.length === 0) {
      const why = recording.skipped.length > 0 ? ` (left out: ${recording.skipped.join('; ')})` : '';
      throw new MeshError(400, `${file} has no exchange of ${input.service} to replay${why}`);
    }
    const stored: StoredMock = {
      service: input.service,
      file,
      matching: input.matching,
      replayLatency: input.replayLatency,
      ...(input.ignoreHeaders ? { ignoreHeaders: input.ignoreHeaders.map((name) => name.toLowerCase()) } : {}),
    };
    const server = new MockServer({
      service: input.service,
      file: this.shown(file),
      matcher: new MockMatcher(recording.entries, stored.matching, stored.ignoreHeaders),
      replayLatency: stored.replayLatency,
      onAnswer: this.schedulePublish,
    });
    const address = await server.listen();
    const before = this.served.get(input.service);
    this.served.set(input.service, { stored, server, address, entries: recording.entries.length, skipped: recording.skipped });
    // The old one closes once the registry points at the new one (by the caller's register()).
    if (before) setImmediate(() => void before.server.close());
    return this.list().find((view) => view.service === input.service) as MockView;
  }

  private persist(): void {
    this.options.store.set(
      'mocks',
      [...this.served.values()].map(({ stored }) => stored),
    );
  }

  private register(): void {
    const entries: InstanceEntry[] = [...this.served.values()].map(({ stored, address }) => ({
      service: stored.service,
      version: MOCK_VERSION,
      address,
      origin: `mock ${this.shown(stored.file)}`,
    }));
    this.options.registry.replaceSource(MOCK_SOURCE, entries);
    this.publishNow();
  }

  /** A file as the user reads it: relative to the workspace when inside it. */
  private shown(file: string): string {
    const root = this.options.workspace;
    if (root === null) return file;
    const relative = path.relative(root, file);
    return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
  }

  private readonly schedulePublish = (): void => {
    if (this.publishTimer !== null) return;
    this.publishTimer = setTimeout(() => this.publishNow(), PUBLISH_EVERY_MS);
    this.publishTimer.unref();
  };

  private publishNow(): void {
    if (this.publishTimer !== null) clearTimeout(this.publishTimer);
    this.publishTimer = null;
    const mocks = this.list();
    for (const listener of this.listeners) listener(mocks);
  }
}
