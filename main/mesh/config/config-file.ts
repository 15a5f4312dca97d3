/** Reads `meshdesk.yaml` from disk into a validated config and registry entries, or into errors. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { MeshConfig } from '../../../shared/config-schema.js';
import type { ConfigError } from '../../../shared/model.js';
import type { InstanceEntry } from '../registry/registry.js';
import { configEntries } from './config-entries.js';
import { parseConfig } from './parse-config.js';

export interface LoadedConfig {
  config: MeshConfig;
  entries: InstanceEntry[];
  /** Problems that do not stop the file from being used, such as a non-loopback host. */
  warnings: ConfigError[];
}

export type LoadResult = { ok: true; loaded: LoadedConfig } | { ok: false; errors: ConfigError[] };

export async function loadConfigFile(file: string): Promise<LoadResult> {
  const shown = path.basename(file);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file is missing' : (error as Error).message;
    return { ok: false, errors: [{ file: shown, line: 0, column: 0, message: `cannot read: ${reason}`, severity: 'error' }] };
  }
  return loadConfigText(text, shown);
}

export function loadConfigText(text: string, shown: string): LoadResult {
  const result = parseConfig(text, shown);
  if (!result.ok) return result;
  const { entries, warnings } = configEntries(result.config, shown, result.positionOf);
  return { ok: true, loaded: { config: result.config, entries, warnings } };
}
