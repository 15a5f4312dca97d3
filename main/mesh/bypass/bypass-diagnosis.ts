/**
 * Why a process most likely called an instance straight, and what to change: decided once per
 * bypassing process, where it is seen, from its command line and (when the OS shows it) its
 * environment, read the way each runtime reads them (shared/proxy-env.ts, also behind `meshdesk
 * doctor`). A guess from outside the process, so every reason says "likely"; the checks go from the
 * most specific evidence (a NO_PROXY entry naming the service) to the catch-all (a call to the
 * instance's address, which no proxy setting would have sent to the mesh: Go never proxies
 * loopback, and `meshdesk env` keeps 127.0.0.1 in NO_PROXY).
 */
import path from 'node:path';
import type { BypassRuntime } from '../../../shared/bypass.js';
import {
  ENV_FIX,
  httpProxyOf,
  javaOptionsOf,
  javaProxyOf,
  javaProxyProperties,
  noProxyEntryCovering,
  nodeUsesEnvProxy,
  type Environment,
} from '../../../shared/proxy-env.js';

export interface DiagnosisInput {
  /** The command name the OS reports (`node`, `python3`, `java`). */
  command: string;
  argv: readonly string[];
  /** The process's environment, or null when it could not be read. */
  env: Environment | null;
  service: string;
  /** `host:port` it connected to. */
  instance: string;
  /** Where the mesh's proxy listens, for the fixes. */
  proxyUrl: string;
}

export interface Diagnosis {
  runtime: BypassRuntime;
  reason: string;
  fix: string;
}

export function diagnoseBypass(input: DiagnosisInput): Diagnosis {
  const runtime = runtimeOf(input.command, input.argv);
  const { env, service, instance } = input;
  const proxyUrl = input.proxyUrl || 'http://127.0.0.1:4140';
  const byName = `call http://${service}/ rather than http://${instance}/`;

  const covering = env ? noProxyEntryCovering(env, service) : null;
  if (covering !== null) {
    return {
      runtime,
      reason: `likely: its NO_PROXY contains ${covering}, so calls to http://${service}/ skip the proxy`,
      fix: `remove ${covering} from NO_PROXY and no_proxy (keep localhost,127.0.0.1,::1) and restart it`,
    };
  }
  if (runtime === 'node' && (env === null || !nodeUsesEnvProxy(env))) {
    return {
      runtime,
      reason: "likely: Node's fetch ignores http_proxy without NODE_USE_ENV_PROXY=1",
      fix: `start it with NODE_USE_ENV_PROXY=1 and http_proxy=${proxyUrl} (${ENV_FIX}), and ${byName}`,
    };
  }
  if (runtime === 'java') {
    const options = [...input.argv, env ? javaOptionsOf(env) : ''];
    if (javaProxyOf(options).host === null) {
      return {
        runtime,
        reason: 'likely: Java ignores http_proxy and this JVM has no -Dhttp.proxyHost/-Dhttp.proxyPort',
        fix: `start it with JAVA_TOOL_OPTIONS='${javaProxyProperties(proxyUrl)}', and ${byName}`,
      };
    }
  }
  if (env !== null && httpProxyOf(env) === null && runtime !== 'java') {
    return {
      runtime,
      reason: 'likely: http_proxy is not set in its environment',
      fix: `start it from a shell where you ran ${ENV_FIX}, and ${byName}`,
    };
  }
  return {
    runtime,
    reason: `likely: it calls the instance address ${instance} directly, which no proxy setting sends to the mesh (Go never proxies loopback)`,
    fix: `${byName}, the service's name, so the call goes through the proxy`,
  };
}

/** The runtime behind a process, by its command name, else its program's file name. */
export function runtimeOf(command: string, argv: readonly string[]): BypassRuntime {
  const program = path.basename(argv[0] ?? '');
  for (const name of [command.toLowerCase(), program.toLowerCase()]) {
    if (name === 'node' || name === 'nodejs' || name.startsWith('node-')) return 'node';
    if (/^python[\d.]*$/.test(name) || name === 'uvicorn' || name === 'gunicorn' || name === 'flask') return 'python';
    if (name === 'java') return 'java';
  }
  // `go run` builds into a go-build temporary folder; a built Go binary has no such tell.
  if ((argv[0] ?? '').includes('/go-build')) return 'go';
  return 'other';
}
