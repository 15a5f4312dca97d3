/**
 * nginx as the reference gRPC reverse proxy: HTTP/2 cleartext on its listening port, `grpc_pass` to
 * the Greeter through an upstream block that keeps its connections (nginx sends one call per
 * upstream connection, so without `keepalive` every call would open one). Single process
 * (`master_process off`), as the HTTP bench runs nginx, so its CPU and RSS are one pid's; a private
 * prefix in the bench's temp directory, so nothing of the system's nginx setup is used or touched.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort, pinned, SERVER_CORE, stopChild, waitForPort, type Pinning } from '../proxy/children.js';
import type { NginxProcess } from '../proxy/nginx.js';

/** Starts nginx pinned to the server core, proxying gRPC on a free port to `127.0.0.1:serverPort`. */
export async function startGrpcNginx(nginxPath: string, pinning: Pinning, workDir: string, serverPort: number): Promise<NginxProcess> {
  const prefix = mkdtempSync(path.join(workDir, 'nginx-grpc-'));
  const port = await freePort();
  writeFileSync(path.join(prefix, 'nginx.conf'), grpcProxyConfig(prefix, port, serverPort));
  const child = spawn(...pinned(pinning, SERVER_CORE, nginxPath, ['-p', prefix, '-e', 'error.log', '-c', 'nginx.conf']), { stdio: 'inherit' });
  await waitForPort(port, child);
  return { pid: child.pid as number, port, stop: () => stopChild(child, () => child.kill('SIGQUIT')) };
}

/** nginx 1.22 syntax (`listen ... http2`); every path nginx writes to is inside `prefix`. */
export function grpcProxyConfig(prefix: string, port: number, serverPort: number): string {
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `${kind}_temp_path ${path.join(prefix, kind)};`);
  return [
    'daemon off;',
    'master_process off;',
    `pid ${path.join(prefix, 'nginx.pid')};`,
    `error_log ${path.join(prefix, 'error.log')} warn;`,
    'events { worker_connections 4096; }',
    'http {',
    '  access_log off;',
    `  ${temp.join(' ')}`,
    // h2load and the channels keep their connections for the whole run; nginx's default closes them every 1000 calls.
    '  keepalive_requests 100000000;',
    '  keepalive_timeout 120s;',
    `  upstream greeter { server 127.0.0.1:${serverPort}; keepalive 128; keepalive_requests 100000000; keepalive_timeout 120s; }`,
    `  server { listen 127.0.0.1:${port} http2; location / { grpc_pass grpc://greeter; } }`,
    '}',
    '',
  ].join('\n');
}
