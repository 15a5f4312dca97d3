// `meshdesk env` run for real, and its bash output evaluated by a real bash that then sends a
// request through a stand-in proxy with curl and with Node's own fetch, proving the lines do what
// they claim.
import { execFile } from 'node:child_process';
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runMeshdesk } from './testing/spawn-meshdesk.js';

const exec = promisify(execFile);

describe('meshdesk env', () => {
  it('prints lines for each shell, with loopback kept direct', async () => {
    const bash = await runMeshdesk(['env', '--shell', 'bash', '--proxy-port', '4999']);
    expect(bash.stdout).toBe(
      "export http_proxy='http://127.0.0.1:4999'\nexport HTTP_PROXY='http://127.0.0.1:4999'\nexport no_proxy='localhost,127.0.0.1,::1'\nexport NO_PROXY='localhost,127.0.0.1,::1'\nexport NODE_USE_ENV_PROXY='1'\n",
    );
    expect((await runMeshdesk(['env', '--shell', 'fish'])).stdout).toContain("set -gx http_proxy 'http://127.0.0.1:4140';");
    expect((await runMeshdesk(['env', '--shell', 'powershell'])).stdout).toContain("$env:http_proxy = 'http://127.0.0.1:4140'");
    expect(JSON.parse((await runMeshdesk(['env', '--json'])).stdout)).toMatchObject({ http_proxy: 'http://127.0.0.1:4140', NODE_USE_ENV_PROXY: '1' });
    const wrong = await runMeshdesk(['env', '--shell', 'tcsh']);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain('unknown shell tcsh');
  });

  it('makes curl in an evaluated bash send http://world/ to the proxy', async () => {
    const seen: string[] = [];
    const proxy = http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.end('through the proxy');
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const port = (proxy.address() as { port: number }).port;
    try {
      const { stdout: lines } = await runMeshdesk(['env', '--shell', 'bash', '--proxy-port', `${port}`]);
      const { stdout } = await exec('bash', ['-c', `${lines}\ncurl -sS http://world/path`]);
      expect(stdout).toBe('through the proxy');
      expect(seen).toEqual(['GET http://world/path']);
    } finally {
      proxy.close();
    }
  });

  it("makes Node 22's own fetch in an evaluated bash reach the proxy (through a CONNECT tunnel)", async () => {
    const seen: string[] = [];
    const proxy = http.createServer();
    proxy.on('connect', (req: http.IncomingMessage, socket: Duplex) => {
      seen.push(`${req.method} ${req.url}`);
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      socket.once('data', (request: Buffer) => {
        seen.push(request.toString('latin1').split('\r\n')[0] ?? '');
        socket.end('HTTP/1.1 200 OK\r\ncontent-length: 17\r\nconnection: close\r\n\r\nthrough the proxy');
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const port = (proxy.address() as { port: number }).port;
    try {
      const { stdout: lines } = await runMeshdesk(['env', '--shell', 'bash', '--proxy-port', `${port}`]);
      const script = "fetch('http://world/path').then((r) => r.text()).then((t) => process.stdout.write(t))";
      // The project's Node 22 (this test's own), as a Node service in that shell would run.
      const { stdout } = await exec('bash', ['-c', `${lines}\nexport NODE_NO_WARNINGS=1\n'${process.execPath}' -e "${script}"`]);
      expect(stdout).toBe('through the proxy');
      expect(seen).toEqual(['CONNECT world:80', 'GET /path HTTP/1.1']);
    } finally {
      proxy.close();
    }
  });
});
