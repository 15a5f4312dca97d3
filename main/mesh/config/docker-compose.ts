/**
 * Imports a docker-compose.yml: every service that publishes a TCP port on the host becomes an
 * instance of the service of the same name (lowercased, `_` and `.` turned into `-` to make it a
 * DNS label) at the published address, with `docker-compose.yml:<line>` as its origin. Services
 * without a published port are skipped with a note saying why, so the user is not left guessing.
 * Variables in port mappings (`${WEB_PORT:-8080}`) are interpolated the way compose does.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { DEFAULT_VERSION, dnsLabel } from '../../../shared/config-schema.js';
import type { ConfigError } from '../../../shared/model.js';
import { formatAddress } from '../registry/address.js';
import type { InstanceEntry } from '../registry/registry.js';
import { parsePortSpec } from './compose-ports.js';

export interface ComposeImport {
  entries: InstanceEntry[];
  /** Errors (a mapping that cannot be read) and warnings (a service that could not be imported). */
  problems: ConfigError[];
}

export type Environment = Readonly<Record<string, string | undefined>>;

export async function importDockerCompose(file: string, env: Environment = process.env): Promise<ComposeImport> {
  const shown = path.basename(file);
  try {
    return parseDockerCompose(await readFile(file, 'utf8'), shown, env);
  } catch (error) {
    return { entries: [], problems: [{ file: shown, line: 0, column: 0, message: `cannot read: ${(error as Error).message}`, severity: 'error' }] };
  }
}

export function parseDockerCompose(text: string, file: string, env: Environment): ComposeImport {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const problems: ConfigError[] = [];
  const at = (node: Node | null | undefined, message: string, severity: 'error' | 'warning') => {
    const pos = node?.range ? lineCounter.linePos(node.range[0]) : { line: 1, col: 1 };
    problems.push({ file, line: pos.line, column: pos.col, message, severity });
  };
  if (doc.errors.length > 0) {
    for (const error of doc.errors) {
      const pos = lineCounter.linePos(error.pos[0]);
      problems.push({ file, line: pos.line, column: pos.col, message: error.message.split('\n')[0] ?? error.message, severity: 'error' });
    }
    return { entries: [], problems };
  }
  const services = doc.get('services', true);
  if (!isMap(services)) {
    at(doc.contents as Node | null, 'no "services:" map: is this a docker-compose file?', 'error');
    return { entries: [], problems };
  }
  const entries: InstanceEntry[] = [];
  for (const pair of services.items) {
    const composeName = isScalar(pair.key) ? String(pair.key.value) : '';
    const keyNode = pair.key as Node;
    const name = composeName
      .toLowerCase()
      .replace(/[_.]/g, '-')
      .replace(/^-+|-+$/g, '');
    if (!dnsLabel.safeParse(name).success) {
      at(keyNode, `service "${composeName}" cannot be a mesh service name (a DNS label); skipped`, 'warning');
      continue;
    }
    const ports = isMap(pair.value) ? pair.value.get('ports', true) : undefined;
    if (!isSeq(ports) || ports.items.length === 0) {
      at(keyNode, `service "${composeName}" publishes no ports; skipped`, 'warning');
      continue;
    }
    const found: { host: string; port: number; node: Node }[] = [];
    const before = problems.length;
    for (const item of ports.items as Node[]) {
      const interpolated = interpolateSpec(isScalar(item) ? item.value : (item as { toJSON(): unknown }).toJSON(), env);
      if ('error' in interpolated) {
        at(item, `${composeName}: ${interpolated.error}`, 'error');
        continue;
      }
      const spec = interpolated.value;
      const parsed = parsePortSpec(spec);
      if (parsed.kind === 'invalid') at(item, `${composeName}: ${parsed.reason}`, 'error');
      else if (parsed.kind === 'unpublished') at(item, `${composeName}: ${parsed.reason}`, 'warning');
      else if (parsed.protocol === 'tcp') found.push({ host: parsed.host, port: parsed.port, node: item });
    }
    const [first, ...others] = found;
    if (!first) {
      if (problems.length === before) at(keyNode, `service "${composeName}" publishes no TCP port; skipped`, 'warning');
      continue;
    }
    if (others.length > 0) {
      const ignored = others.map((other) => other.port).join(', ');
      at(
        first.node,
        `${composeName} publishes several ports; imported ${first.port}, not ${ignored} (list the right one in meshdesk.yaml if it is another)`,
        'warning',
      );
    }
    const line = first.node.range ? lineCounter.linePos(first.node.range[0]).line : 0;
    entries.push({ service: name, version: DEFAULT_VERSION, address: formatAddress(first.host, first.port), origin: `${file}:${line}` });
  }
  return { entries, problems };
}

/** Interpolates a short-syntax string, or every string field of a long-syntax mapping. */
function interpolateSpec(spec: unknown, env: Environment): { value: unknown } | { error: string } {
  if (typeof spec === 'string') return interpolate(spec, env);
  if (typeof spec !== 'object' || spec === null) return { value: spec };
  const value: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(spec)) {
    const done = typeof field === 'string' ? interpolate(field, env) : { value: field };
    if ('error' in done) return done;
    value[key] = done.value;
  }
  return { value };
}

/** Compose's variable syntax: `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `$$` for `$`. */
export function interpolate(text: string, env: Environment): { value: string } | { error: string } {
  let missing: string | null = null;
  const value = text.replace(
    /\$\$|\$\{([A-Za-z_]\w*)(?:(:?-)([^}]*))?\}|\$([A-Za-z_]\w*)/g,
    (whole, braced?: string, op?: string, fallback?: string, bare?: string) => {
      if (whole === '$$') return '$';
      const name = (braced ?? bare) as string;
      const set = env[name];
      if (op === ':-' && (set === undefined || set === '')) return fallback ?? '';
      if (op === '-' && set === undefined) return fallback ?? '';
      if (set === undefined) missing ??= name;
      return set ?? '';
    },
  );
  return missing ? { error: `uses $${missing}, which is not set` } : { value };
}
