/**
 * nginx in the two roles it plays here: the cheapest possible upstream (a fixed body from memory)
 * and the reference reverse proxy Meshdesk's throughput target is set against. One single-process nginx per
 * role (`master_process off`), so its RSS and CPU are one pid's, like the Node rows; a private
 * prefix in a temp directory, so nothing of the system's nginx setup is used or touched.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort, pinned, SERVER_CORE, stopChild, waitForPort, type Pinning } from './children.js';
import { UPSTREAM_BODY } from './upstream-body.js';

export interface NginxProcess {
  pid: number;
  port: number;
  stop(): Promise<void>;
}

export type NginxRole = { kind: 'upstream' } | { kind: 'proxy'; upstreamPort: number };

export async function startNginx(nginxPath: string, pinning: Pinning, workDir: string, role: NginxRole): Promise<NginxProcess> {
  const dir = path.join(workDir, `nginx-${role.kind}`);
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const conf = path.join(dir, 'nginx.conf');
  writeFileSync(conf, config(dir, port, role));
  const [file, args] = pinned(pinning, SERVER_CORE, nginxPath, ['-p', dir, '-e', path.join(dir, 'error.log'), '-c', conf]);
  const child = spawn(file, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  await waitForPort(port, child);
  return { pid: child.pid as number, port, stop: () => stopChild(child, () => child.kill('SIGQUIT')) };
}

function config(dir: string, port: number, role: NginxRole): string {
  const temp = (name: string) => path.join(dir, name);
  const location =
    role.kind === 'upstream'
      ? `default_type text/plain; return 200 ${JSON.stringify(UPSTREAM_BODY)};`
      : // HTTP/1.1 with an empty Connection header is what keeps upstream connections alive.
        `proxy_pass http://bench; proxy_http_version 1.1; proxy_set_header Connection "";`;
  const upstream =
    role.kind === 'proxy'
      ? `upstream bench { server 127.0.0.1:${role.upstreamPort}; keepalive 128; keepalive_requests 100000000; keepalive_timeout 120s; }`
      : '';
  return `daemon off;
master_process off;
pid ${temp('nginx.pid')};
error_log ${temp('error.log')} warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${temp('client_body')};
  proxy_temp_path ${temp('proxy')};
  fastcgi_temp_path ${temp('fastcgi')};
  uwsgi_temp_path ${temp('uwsgi')};
  scgi_temp_path ${temp('scgi')};
  # wrk and the proxies keep connections for the whole run; nginx's default closes them every 1000.
  keepalive_requests 100000000;
  keepalive_timeout 120s;
  ${upstream}
  server {
    listen 127.0.0.1:${port};
    location / { ${location} }
  }
}
`;
}
