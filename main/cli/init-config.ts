/**
 * The text of the meshdesk.yaml `meshdesk init` writes: one service per thing it found running or
 * declared, each with a comment saying where it came from, so the developer can check every line
 * before trusting it. Pure (no I/O) so the output can be tested exactly.
 */
import path from 'node:path';
import { DEFAULT_VERSION } from '../../shared/config-schema.js';
import type { FolderListener } from '../mesh/index.js';

export interface FoundInstance {
  service: string;
  version: string;
  address: string;
  /** Where it was found, for the comment above it (`docker-compose.yml:12`, `pid 4242: node hello.js`). */
  origin: string;
}

export interface InitFindings {
  schemaPath: string;
  instances: FoundInstance[];
  /** Files in the workspace's disco/ folder: read by the mesh as they are, so only mentioned. */
  discoFiles: string[];
  /** Why no running process could be looked at, when that is so (not Linux). */
  processScanUnavailable?: string;
}

/** Scripts whose file name says nothing about the service: the folder they are in names it. */
const GENERIC_SCRIPTS = new Set(['index', 'main', 'app', 'server', 'serve', 'start', 'run', 'manage', '__main__', 'wsgi', 'asgi']);

/** A service name (a DNS label) for a process started from `root`, from its folder or its script. */
export function serviceNameOf(listener: FolderListener, root: string): string {
  const relative = path.relative(root, listener.cwd);
  if (relative !== '') return dnsLabelOf(path.basename(listener.cwd));
  const [command = 'service', ...args] = listener.argv;
  const moduleName = args[args.indexOf('-m') + 1];
  if (args.includes('-m') && moduleName) return dnsLabelOf(moduleName.slice(moduleName.lastIndexOf('.') + 1));
  const script = args.find((arg) => !arg.startsWith('-') && /[./]/.test(arg));
  if (script) {
    const name = path.basename(script, path.extname(script));
    if (!GENERIC_SCRIPTS.has(name)) return dnsLabelOf(name);
    const folder = path.basename(path.dirname(path.resolve(listener.cwd, script)));
    return dnsLabelOf(folder);
  }
  return dnsLabelOf(path.basename(command));
}

export function dnsLabelOf(text: string): string {
  const label = text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return label.length > 0 ? label : 'service';
}

/** The instances of running processes, one per listening process, named apart when names collide. */
export function instancesOfListeners(listeners: readonly FolderListener[], root: string, taken: ReadonlySet<string>): FoundInstance[] {
  const names = new Set(taken);
  const seenPorts = new Set<number>();
  const instances: FoundInstance[] = [];
  for (const listener of listeners) {
    // Forked workers share their parent's listening socket: one service, listed once.
    const port = listener.ports.find((candidate) => !seenPorts.has(candidate));
    if (port === undefined) continue;
    for (const other of listener.ports) seenPorts.add(other);
    const base = serviceNameOf(listener, root);
    let name = base;
    for (let n = 2; names.has(name); n++) name = `${base}-${n}`;
    names.add(name);
    const more = listener.ports.length > 1 ? ` (also listens on ${listener.ports.filter((other) => other !== port).join(', ')})` : '';
    instances.push({ service: name, version: DEFAULT_VERSION, address: `127.0.0.1:${port}`, origin: `pid ${listener.pid}: ${commandLine(listener)}${more}` });
  }
  return instances;
}

export function renderInitConfig(findings: InitFindings): string {
  const lines = [
    `# yaml-language-server: $schema=${findings.schemaPath}`,
    '# The services of this workspace, written by `meshdesk init`: check each one, then `meshdesk serve` here.',
    '# A call to http://<service>/ through the proxy (http_proxy) goes to its instances. The file is',
    '# reloaded within a second of a save; a broken save keeps the last good config and shows the error.',
    'proxy:',
    '  mode: passthrough # hosts that are not services go straight through; `reject` answers 502',
  ];
  if (findings.discoFiles.length > 0) {
    lines.splice(4, 0, `# disco/ is read too, as it is (${findings.discoFiles.join(', ')}): no need to repeat those here.`);
  }
  if (findings.processScanUnavailable) lines.splice(4, 0, `# Running processes were not looked at: ${findings.processScanUnavailable}.`);
  if (findings.instances.length === 0) {
    lines.push(
      'services: {}',
      '# Nothing found running from this folder. A service looks like this:',
      '#   hello:',
      '#     instances: [127.0.0.1:7001]',
      '#   world:',
      '#     versions:',
      '#       v1: { instances: [127.0.0.1:7002] }',
      '#       v2: { instances: [127.0.0.1:7003] }',
    );
    return `${lines.join('\n')}\n`;
  }
  lines.push('services:');
  for (const [service, instances] of groupBy(findings.instances, (instance) => instance.service)) {
    const versions = groupBy(instances, (instance) => instance.version);
    if (versions.size === 1 && versions.has(DEFAULT_VERSION)) {
      lines.push(`  ${service}:`, ...originComments(instances, '    '), `    instances: [${instances.map((i) => i.address).join(', ')}]`);
      continue;
    }
    lines.push(`  ${service}:`, '    versions:');
    for (const [version, members] of versions) {
      lines.push(...originComments(members, '      '), `      ${version}: { instances: [${members.map((i) => i.address).join(', ')}] }`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function originComments(instances: readonly FoundInstance[], indent: string): string[] {
  return instances.map((instance) => `${indent}# ${instance.address} from ${instance.origin}`);
}

function commandLine(listener: FolderListener): string {
  const [command = '?', ...args] = listener.argv;
  const line = [path.basename(command), ...args].join(' ');
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}
