/**
 * What `meshdesk doctor` checks, as pure functions of the shell's environment and what the mesh
 * answered: each check is ok, a problem (with its fix) or a note (worth knowing, not wrong). The
 * environment is read the way the runtimes read it (shared/proxy-env.ts), the same reading the
 * mesh's bypass diagnosis makes of a running process, so both give the same fixes.
 */
import type { MeshInfo } from '../../shared/api.js';
import type { Bypass } from '../../shared/bypass.js';
import {
  DEFAULT_NO_PROXY,
  ENV_FIX,
  javaOptionsOf,
  javaProxyOf,
  javaProxyProperties,
  noProxyEntryCovering,
  nodeUsesEnvProxy,
  pointsAtProxy,
  type Environment,
} from '../../shared/proxy-env.js';

export type CheckStatus = 'ok' | 'problem' | 'note';

export interface DoctorCheck {
  /** What was checked: `http_proxy`, `no_proxy`, `node`, `java`, `mesh`, `config`, `services`, `bypass`. */
  id: string;
  status: CheckStatus;
  message: string;
  fix: string | null;
}

/** What the mesh told (null parts: it could not be asked). */
export interface MeshFacts {
  adminUrl: string;
  /** Why the mesh could not be asked, and what to do; null when it answered. */
  failure: { message: string; fix: string | null; unreachable: boolean } | null;
  info: MeshInfo | null;
  services: string[] | null;
  bypasses: Bypass[] | null;
}

const ok = (id: string, message: string): DoctorCheck => ({ id, status: 'ok', message, fix: null });
const problem = (id: string, message: string, fix: string): DoctorCheck => ({ id, status: 'problem', message, fix });
const note = (id: string, message: string, fix: string | null = null): DoctorCheck => ({ id, status: 'note', message, fix });

export function doctorChecks(env: Environment, mesh: MeshFacts): DoctorCheck[] {
  const proxyUrl = mesh.info?.proxyUrl || null;
  return [
    ...meshChecks(mesh),
    ...proxyChecks(env, proxyUrl),
    ...noProxyChecks(env, mesh.services),
    nodeCheck(env),
    javaCheck(env, proxyUrl),
    ...bypassChecks(mesh),
  ];
}

function meshChecks(mesh: MeshFacts): DoctorCheck[] {
  if (mesh.failure !== null || !mesh.info) {
    return [problem('mesh', mesh.failure?.message ?? `no mesh answers at ${mesh.adminUrl}`, mesh.failure?.fix ?? 'start one with `meshdesk serve`')];
  }
  const { info } = mesh;
  const checks = [ok('mesh', `the mesh at ${mesh.adminUrl} answers (meshdesk ${info.version}, proxy ${info.proxyUrl})`)];
  const errors = info.configErrors.filter((error) => error.severity !== 'warning');
  for (const error of info.configErrors) {
    const where = `${error.file}:${error.line}:${error.column}`;
    if (error.severity === 'warning') checks.push(note('config', `config warning ${where} ${error.message}`));
    else checks.push(problem('config', `config error ${where} ${error.message}`, `fix ${error.file}; until then the last good config stays in force`));
  }
  if (errors.length === 0) checks.push(ok('config', `config ${info.configFile ?? '(none)'} has no errors`));
  if (mesh.services?.length === 0) {
    checks.push(note('services', 'no services are registered yet', 'add them to meshdesk.yaml or disco/, or run `meshdesk register`'));
  }
  return checks;
}

function proxyChecks(env: Environment, proxyUrl: string | null): DoctorCheck[] {
  const lower = env.http_proxy?.trim() || null;
  const upper = env.HTTP_PROXY?.trim() || null;
  const setTo = proxyUrl ? `export http_proxy=${proxyUrl} HTTP_PROXY=${proxyUrl}` : ENV_FIX;
  if (!lower && !upper) {
    return [problem('http_proxy', 'http_proxy is not set: programs started from this shell do not send their calls through the mesh', ENV_FIX)];
  }
  const checks: DoctorCheck[] = [];
  if (!lower) checks.push(problem('http_proxy', 'only HTTP_PROXY is set: curl reads only the lower-case http_proxy', setTo));
  if (lower && upper && lower !== upper) {
    checks.push(problem('http_proxy', `http_proxy (${lower}) and HTTP_PROXY (${upper}) differ: tools reading one or the other go different ways`, setTo));
  }
  const used = lower ?? upper ?? '';
  if (proxyUrl === null) checks.push(note('http_proxy', `http_proxy is ${used} (not compared: no mesh answered)`));
  else if (!pointsAtProxy(used, proxyUrl)) checks.push(problem('http_proxy', `http_proxy is ${used}, not this mesh's proxy ${proxyUrl}`, setTo));
  else if (checks.length === 0) checks.push(ok('http_proxy', `http_proxy points at this mesh (${used})`));
  return checks;
}

function noProxyChecks(env: Environment, services: string[] | null): DoctorCheck[] {
  if (services === null || services.length === 0) return [];
  const covered = services.flatMap((service) => {
    const entry = noProxyEntryCovering(env, service);
    return entry === null ? [] : [{ service, entry }];
  });
  if (covered.length === 0) return [ok('no_proxy', `NO_PROXY leaves every service to the mesh (${env.NO_PROXY ?? env.no_proxy ?? 'not set'})`)];
  const entries = new Set(covered.map(({ entry }) => entry.toLowerCase()));
  const kept = [...new Set([env.no_proxy, env.NO_PROXY].flatMap((value) => (value ?? '').split(/[,\s]+/)))].filter(
    (entry) => entry !== '' && !entries.has(entry.toLowerCase()),
  );
  const value = kept.length > 0 ? kept.join(',') : DEFAULT_NO_PROXY;
  return covered.map(({ service, entry }) =>
    problem('no_proxy', `NO_PROXY contains ${entry}: calls to http://${service}/ skip the mesh`, `export no_proxy='${value}' NO_PROXY='${value}'`),
  );
}

function nodeCheck(env: Environment): DoctorCheck {
  if (nodeUsesEnvProxy(env)) return ok('node', "NODE_USE_ENV_PROXY=1: Node's fetch uses http_proxy");
  return problem(
    'node',
    "NODE_USE_ENV_PROXY is not 1: Node's fetch (22.21+, 24.5+) ignores http_proxy and calls services directly",
    'export NODE_USE_ENV_PROXY=1',
  );
}

function javaCheck(env: Environment, proxyUrl: string | null): DoctorCheck {
  const options = javaOptionsOf(env);
  const properties = javaProxyProperties(proxyUrl ?? 'http://127.0.0.1:4140');
  const fix = `export JAVA_TOOL_OPTIONS='${[env.JAVA_TOOL_OPTIONS?.replace(/\s*-Dhttp\.proxy(Host|Port)=\S+/g, '').trim(), properties].filter(Boolean).join(' ')}'`;
  if (options === '') return note('java', 'JAVA_TOOL_OPTIONS is not set: Java programs started here ignore http_proxy', fix);
  const java = javaProxyOf(options);
  if (java.host === null) return problem('java', 'JAVA_TOOL_OPTIONS has no -Dhttp.proxyHost/-Dhttp.proxyPort: Java ignores http_proxy', fix);
  if (proxyUrl !== null && !pointsAtProxy(java, proxyUrl)) {
    return problem('java', `Java's proxy properties point at ${java.host}:${java.port ?? 80}, not this mesh's proxy ${proxyUrl}`, fix);
  }
  return ok('java', `Java's proxy properties point at ${java.host}:${java.port ?? 80}`);
}

function bypassChecks(mesh: MeshFacts): DoctorCheck[] {
  if (mesh.bypasses === null) return [];
  if (mesh.bypasses.length === 0) return [ok('bypass', 'no process is seen calling an instance past the proxy')];
  return mesh.bypasses.map((bypass) =>
    problem('bypass', `${bypass.caller} calls ${bypass.service} at ${bypass.instances.join(', ')} past the proxy: ${bypass.reason}`, bypass.fix),
  );
}
