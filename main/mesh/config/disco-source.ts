/**
 * Feeds the registry from a `disco/` folder (format in disco-format.ts), and keeps it in step with
 * the folder: a file saved (in place or by rename) is re-read, a file deleted takes its instances
 * away (that is how Linkerd's fs namer deregisters), and the folder appearing, disappearing or
 * coming back is noticed through a second watcher on its parent.
 *
 * Each file's parse is cached and only the files whose names changed are re-read, so a save of one
 * file in a big folder costs one file. Reads are serialised so results never land out of order.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ConfigError } from '../../../shared/model.js';
import type { InstanceEntry, Registry } from '../registry/registry.js';
import { parseDiscoName, parseDiscoText } from './disco-format.js';
import { DirectoryWatcher } from './watch-directory.js';

export const DISCO_SOURCE = 'disco';
/** Larger files are refused rather than read: a disco file is a list of addresses, not a dump. */
const MAX_FILE_BYTES = 8 * 1024 * 1024;

interface FileState {
  entries: InstanceEntry[];
  problems: ConfigError[];
}

export interface DiscoSourceOptions {
  directory: string;
  registry: Registry;
  /** Called when the folder's problems change (its instances go to the registry, which has its own events). */
  onReload?: (problems: readonly ConfigError[]) => void;
  debounceMs?: number;
}

export class DiscoSource {
  private readonly options: DiscoSourceOptions;
  private readonly shownDir: string;
  private readonly files = new Map<string, FileState>();
  private readonly folder: DirectoryWatcher;
  private readonly parent: DirectoryWatcher;
  private queue: Promise<void> = Promise.resolve();
  private lastSignature = '';

  constructor(options: DiscoSourceOptions) {
    this.options = options;
    this.shownDir = path.basename(options.directory);
    const debounceMs = options.debounceMs ?? 50;
    this.folder = new DirectoryWatcher({ directory: options.directory, debounceMs, onChange: (names) => void this.refresh(names) });
    this.parent = new DirectoryWatcher({
      directory: path.dirname(options.directory),
      debounceMs,
      onChange: (names) => {
        if (names.has(this.shownDir) || names.has(null)) void this.refresh(new Set([null]));
      },
    });
  }

  /** The folder read, whether or not it exists yet. */
  get directory(): string {
    return this.options.directory;
  }

  get problems(): ConfigError[] {
    return [...this.files.keys()].sort().flatMap((name) => this.files.get(name)?.problems ?? []);
  }

  async start(): Promise<void> {
    this.parent.start();
    await this.refresh(new Set([null]));
  }

  close(): void {
    this.folder.close();
    this.parent.close();
  }

  /** Re-reads the named files (`null`: the whole folder); resolves when the registry has them. */
  refresh(names: ReadonlySet<string | null>): Promise<void> {
    this.queue = this.queue.then(() => this.rescan(names));
    return this.queue;
  }

  private async rescan(names: ReadonlySet<string | null>): Promise<void> {
    let toRead: string[];
    if (names.has(null) || !this.folder.watching) {
      const listed = await listFiles(this.options.directory);
      // A folder that is there gets watched (again); one that is gone has no files.
      if (listed === null) this.folder.close();
      else this.folder.start();
      toRead = listed ?? [];
      for (const name of this.files.keys()) if (!toRead.includes(name)) this.files.delete(name);
    } else {
      toRead = [...names].filter((name): name is string => name !== null);
    }
    for (const name of toRead) {
      const state = await this.readFile(name);
      if (state) this.files.set(name, state);
      else this.files.delete(name);
    }
    this.publish();
  }

  private async readFile(name: string): Promise<FileState | null> {
    const parsedName = parseDiscoName(name);
    if (parsedName.ignored) return null;
    const shown = `${this.shownDir}/${name}`;
    const fail = (message: string): FileState => ({ entries: [], problems: [{ file: shown, line: 0, column: 0, message, severity: 'error' }] });
    const file = path.join(this.options.directory, name);
    let text: string;
    try {
      const info = await stat(file);
      if (!info.isFile()) return null;
      if (info.size > MAX_FILE_BYTES) return fail(`the file is ${info.size} bytes; a disco file may hold at most ${MAX_FILE_BYTES}`);
      text = await readFile(file, 'utf8');
    } catch (error) {
      // Gone between the event and the read: a deleted file, or an editor's temporary one.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      return fail(`cannot read: ${(error as Error).message}`);
    }
    if ('error' in parsedName) return fail(parsedName.error);
    const { instances, problems } = parseDiscoText(text, shown);
    return {
      entries: instances.map((instance) => ({
        service: parsedName.service,
        version: parsedName.version,
        address: instance.address,
        origin: shown,
        weight: instance.weight,
      })),
      problems,
    };
  }

  private publish(): void {
    // Files in name order, so the merged view does not depend on the order events arrived in.
    const names = [...this.files.keys()].sort();
    this.options.registry.replaceSource(
      DISCO_SOURCE,
      names.flatMap((name) => this.files.get(name)?.entries ?? []),
    );
    const problems = this.problems;
    const signature = JSON.stringify(problems);
    if (signature === this.lastSignature) return;
    this.lastSignature = signature;
    this.options.onReload?.(problems);
  }
}

async function listFiles(directory: string): Promise<string[] | null> {
  try {
    return (await readdir(directory, { withFileTypes: true })).filter((entry) => !entry.isDirectory()).map((entry) => entry.name);
  } catch {
    return null;
  }
}
