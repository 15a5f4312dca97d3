/**
 * The `disco/` folder format of Linkerd 1.x's io.l5d.fs namer, so a seed workspace works as it is:
 * one file per service, named for the service, one instance per line as `host port`, optionally
 * followed by `* weight`. Meshdesk adds two things Linkerd's files cannot say:
 *
 * - versions, in the file name: `world@v2` holds the instances of version v2 of `world`; a plain
 *   `world` is its `default` version;
 * - comments (`#` to the end of the line) and blank lines.
 *
 * A line that does not parse is reported with its file and line and skipped; the good lines of the
 * same file are kept. Parsing is line by line with no backtracking, so a 10,000-line file is cheap.
 */
import { DEFAULT_VERSION, dnsLabel, instanceAddress, versionLabel } from '../../../shared/config-schema.js';
import type { ConfigError } from '../../../shared/model.js';
import { formatAddress, nonLoopbackWarning } from '../registry/address.js';

export interface DiscoInstance {
  address: string;
  weight: number;
  line: number;
}

/** Names an editor or the OS leaves next to the files: hidden files, backups, swap files. */
const IGNORED = /^\.|~$|\.(swp|swx|swo|tmp|bak|orig)$|^#.*#$/;

export type DiscoName = { ignored: true } | { ignored: false; service: string; version: string } | { ignored: false; error: string };

export function parseDiscoName(fileName: string): DiscoName {
  if (IGNORED.test(fileName)) return { ignored: true };
  const at = fileName.indexOf('@');
  const service = at < 0 ? fileName : fileName.slice(0, at);
  const version = at < 0 ? DEFAULT_VERSION : fileName.slice(at + 1);
  if (!dnsLabel.safeParse(service).success) {
    return {
      ignored: false,
      error: `the file name must be a service name (a-z, 0-9 and "-"), optionally followed by @version, e.g. world@v2; "${service}" is not one`,
    };
  }
  if (!versionLabel.safeParse(version).success) {
    return { ignored: false, error: `"${version}" is not a version label (letters, digits, ".", "_" or "-")` };
  }
  return { ignored: false, service, version };
}

const LINE = /^(\S+)\s+(\S+)(?:\s+\*\s*(\S+))?$/;

export function parseDiscoText(text: string, file: string): { instances: DiscoInstance[]; problems: ConfigError[] } {
  const instances: DiscoInstance[] = [];
  const problems: ConfigError[] = [];
  const seen = new Map<string, number>();
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const hash = raw.indexOf('#');
    const content = (hash < 0 ? raw : raw.slice(0, hash)).trim();
    if (content === '') return;
    const column = raw.length - raw.trimStart().length + 1;
    const problem = (message: string, severity: 'error' | 'warning' = 'error') => problems.push({ file, line, column, message, severity });
    const match = LINE.exec(content);
    if (!match) return problem(`expected "host port" or "host port * weight", got "${shorten(content)}"`);
    const [, host, portText, weightText] = match as unknown as [string, string, string, string | undefined];
    const port = Number(portText);
    if (!/^\d+$/.test(portText) || port < 1 || port > 65535) return problem(`port must be a number between 1 and 65535, got "${shorten(portText)}"`);
    const address = formatAddress(host, port);
    if (!instanceAddress.safeParse(address).success) return problem(`"${shorten(host)}" is not a host name or IP address`);
    const weight = weightText === undefined ? 1 : Number(weightText);
    if (!Number.isFinite(weight) || weight <= 0) return problem(`weight must be a positive number, got "${shorten(weightText ?? '')}"`);
    const first = seen.get(address.toLowerCase());
    if (first !== undefined) return problem(`duplicate instance ${address} (already on line ${first})`);
    seen.set(address.toLowerCase(), line);
    const warning = nonLoopbackWarning(address);
    if (warning) problem(warning, 'warning');
    instances.push({ address, weight, line });
  });
  return { instances, problems };
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
