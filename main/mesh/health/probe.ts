/**
 * One health probe of one instance: an HTTP GET or a TCP connect, always on a fresh connection
 * (`agent: false`, `Connection: close`). A kept-alive socket would keep answering after the
 * instance stopped accepting connections, and that is exactly the failure a check must see.
 * node:http and node:net ignore `http_proxy`, so checks never loop through the mesh's own proxy
 * even when Meshdesk runs in the shell that exported it.
 */
import http from '../node-http.js';
import net from 'node:net';
import type { HealthCheck } from '../../../shared/config-schema.js';
import { grpcProbe } from './grpc-probe.js';
import { describeNetworkError, type ProbeResult } from './probe-result.js';

export type { ProbeResult } from './probe-result.js';

export function probe(host: string, port: number, check: HealthCheck): Promise<ProbeResult> {
  switch (check.type) {
    case 'http':
      return httpProbe(host, port, check);
    case 'grpc':
      return grpcProbe(host, port, check.service, check.timeout);
    default:
      return tcpProbe(host, port, check.timeout);
  }
}

function httpProbe(host: string, port: number, check: Extract<HealthCheck, { type: 'http' }>): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const request = http.request({
      host,
      port,
      path: check.path,
      method: 'GET',
      agent: false,
      headers: { 'user-agent': 'meshdesk-health-check', connection: 'close' },
      signal: AbortSignal.timeout(check.timeout),
    });
    request.once('response', (response) => {
      const status = response.statusCode ?? 0;
      // Only the status matters; a body that streams forever must not hold the probe open.
      request.destroy();
      resolve(
        statusMatches(status, check.expectStatus)
          ? { ok: true, reason: `HTTP ${status}` }
          : { ok: false, reason: `HTTP ${status}, expected ${check.expectStatus}` },
      );
    });
    request.once('error', (error) => resolve({ ok: false, reason: describeNetworkError(error, check.timeout) }));
    request.end();
  });
}

function tcpProbe(host: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, signal: AbortSignal.timeout(timeoutMs) });
    socket.once('connect', () => {
      socket.destroy();
      resolve({ ok: true, reason: 'TCP connect accepted' });
    });
    socket.once('error', (error) => resolve({ ok: false, reason: describeNetworkError(error, timeoutMs) }));
  });
}

export function statusMatches(status: number, expected: number | string): boolean {
  if (typeof expected === 'number') return status === expected;
  return String(status)[0] === expected[0];
}
