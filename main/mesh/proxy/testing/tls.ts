/**
 * A local HTTPS server for CONNECT tests, with a throwaway self-signed certificate made by the
 * openssl CLI at test time (valid for `secure`, `localhost` and 127.0.0.1) so that clients verify
 * it for real against the CA file instead of turning verification off.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RequestListener } from 'node:http';
import { onTestFinished } from 'vitest';
import { closeServer, listenOn } from './harness.js';

export interface TlsUpstream {
  port: number;
  address: string;
  /** PEM file of the certificate, for clients' CA options (--cacert, verify=). */
  caFile: string;
  ca: Buffer;
}

export async function startTlsUpstream(handler: RequestListener): Promise<TlsUpstream> {
  const dir = mkdtempSync(join(tmpdir(), 'meshdesk-tls-'));
  const keyFile = join(dir, 'key.pem');
  const caFile = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      caFile,
      '-days',
      '1',
      '-subj',
      '/CN=meshdesk-test',
      '-addext',
      'subjectAltName=DNS:secure,DNS:localhost,IP:127.0.0.1',
    ],
    { stdio: 'pipe' },
  );
  const ca = readFileSync(caFile);
  const server = https.createServer({ key: readFileSync(keyFile), cert: ca }, handler);
  const port = await listenOn(server);
  onTestFinished(async () => {
    await closeServer(server);
    rmSync(dir, { recursive: true, force: true });
  });
  return { port, address: `127.0.0.1:${port}`, caFile, ca };
}
