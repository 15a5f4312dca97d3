/**
 * The programs the gRPC bench drives: h2load (nghttp2's HTTP/2 load generator, the only one here
 * that speaks h2c and sends gRPC unary calls as plain POSTs) is required; nginx (a comparison row)
 * and taskset (core pinning) are found as the HTTP bench finds them, and are optional there too.
 */
import { spawnSync } from 'node:child_process';
import { findTools, type Tool } from '../proxy/tools.js';

export interface GrpcTools {
  h2load: Tool | null;
  nginx: Tool | null;
  taskset: Tool | null;
}

export const H2LOAD_MISSING = 'h2load is required and was not found on PATH; install it (Debian/Ubuntu: apt-get install nghttp2-client)';

export function findGrpcTools(): GrpcTools {
  const { nginx, taskset } = findTools();
  return { h2load: findH2load(), nginx, taskset };
}

/** h2load on PATH, asked for its version (`h2load nghttp2/1.52.0`); null when it cannot be run. */
function findH2load(): Tool | null {
  const { error, stdout } = spawnSync('h2load', ['--version'], { encoding: 'utf8', timeout: 5_000 });
  if (error) return null;
  return { path: 'h2load', version: /nghttp2\/(\S+)/.exec(stdout)?.[1] ?? 'unknown' };
}
