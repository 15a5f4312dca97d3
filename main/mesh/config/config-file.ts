/** Reads `meshdesk.yaml` from disk into registry entries, keeping the line each came from. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_VERSION, type MeshConfig } from '../../../shared/config-schema.js';
import type { ConfigError } from '../../../shared/model.js';
import type { InstanceEntry } from '../registry/registry.js';
import { parseConfig } from './parse-config.js';

export interface LoadedConfig {
  config: MeshConfig;
  entries: InstanceEntry[];
}

export type LoadResult = { ok: true; loaded: LoadedConfig } | { ok: false; errors: ConfigError[] };

export async function loadConfigFile(file: string): Promise<LoadResult> {
  const shown = path.basename(file);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return { ok: false, errors: [{ file: shown, line: 0, column: 0, message: `cannot read: ${(error as Error).message}` }] };
  }
  const result = parseConfig(text, shown);
  if (!result.ok) return result;
  const entries: InstanceEntry[] = [];
  for (const [service, serviceConfig] of Object.entries(result.config.services)) {
    const versions = serviceConfig.versions ?? { [DEFAULT_VERSION]: { instances: serviceConfig.instances ?? [] } };
    for (const [version, versionConfig] of Object.entries(versions)) {
      versionConfig.instances.forEach((address, index) => {
        const keyPath = serviceConfig.versions
          ? ['services', service, 'versions', version, 'instances', index]
          : ['services', service, 'instances', index];
        entries.push({ service, version, address, origin: `${shown}:${result.lineOf(keyPath)}` });
      });
    }
  }
  return { ok: true, loaded: { config: result.config, entries } };
}
