/**
 * Keeps meshdesk.yaml in force: loads it, watches its directory, reloads it within a fraction of a
 * second of a save, and when a save breaks the file keeps the last good config in force (in the
 * registry and in `config`) while `problems` shows why the new one was refused. A deleted file is a
 * problem too, not an empty config: losing every service because an editor briefly removed the
 * file would be worse than serving the last good one.
 *
 * Reloads run one at a time; events during a reload fold into one more reload after it. A save
 * that leaves the text as it was is dropped before parsing, and one that changes only comments or
 * layout reaches the registry, which stays silent unless the merged view changed.
 */
import path from 'node:path';
import { meshConfigSchema, type MeshConfig } from '../../../shared/config-schema.js';
import type { ConfigError } from '../../../shared/model.js';
import type { Registry } from '../registry/registry.js';
import { loadConfigFile, type LoadResult } from './config-file.js';
import { DirectoryWatcher } from './watch-directory.js';

export const CONFIG_SOURCE = 'config';

export interface ConfigReload {
  ok: boolean;
  /** Errors of the refused file, or warnings of the accepted one. */
  problems: readonly ConfigError[];
}

export interface ConfigWatcherOptions {
  file: string;
  registry: Registry;
  /** Called after every reload that changed the config or its problems. */
  onReload?: (reload: ConfigReload) => void;
  debounceMs?: number;
}

export class ConfigWatcher {
  private readonly options: ConfigWatcherOptions;
  private readonly watcher: DirectoryWatcher;
  private current: MeshConfig = meshConfigSchema.parse({});
  private currentProblems: readonly ConfigError[] = [];
  private lastSignature: string | null = null;
  private running: Promise<void> | null = null;
  private again = false;

  constructor(options: ConfigWatcherOptions) {
    this.options = options;
    const name = path.basename(options.file);
    this.watcher = new DirectoryWatcher({
      directory: path.dirname(options.file),
      debounceMs: options.debounceMs ?? 50,
      onChange: (names) => {
        if (names.has(name) || names.has(null)) void this.reload();
      },
    });
  }

  /** The config in force: the last one that loaded without errors. */
  get config(): MeshConfig {
    return this.current;
  }

  get problems(): readonly ConfigError[] {
    return this.currentProblems;
  }

  /** Loads the file once and starts watching. */
  async start(): Promise<void> {
    this.watcher.start();
    await this.reload();
  }

  close(): void {
    this.watcher.close();
  }

  /** Reloads now (coalescing with a reload already running); resolves when the file has been read. */
  reload(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        this.apply(await loadConfigFile(this.options.file));
      } while (this.again);
      this.running = null;
    })();
    return this.running;
  }

  private apply(result: LoadResult): void {
    const signature = JSON.stringify(result);
    if (signature === this.lastSignature) return;
    this.lastSignature = signature;
    if (result.ok) {
      this.current = result.loaded.config;
      this.currentProblems = result.loaded.warnings;
      this.options.registry.replaceSource(CONFIG_SOURCE, result.loaded.entries);
    } else {
      this.currentProblems = result.errors;
    }
    this.options.onReload?.({ ok: result.ok, problems: this.currentProblems });
  }
}
