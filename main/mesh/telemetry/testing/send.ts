/**
 * A real proxy client for the telemetry tests: Node's http with a keep-alive agent, sending the
 * absolute-URI requests `http_proxy` clients send, a few at a time.
 */
import http from 'node:http';
import { onTestFinished } from 'vitest';

export interface Sent {
  status: number;
  body: string;
}

export function proxyClient(proxyPort: number): (url: string, headers?: Record<string, string>) => Promise<Sent> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  onTestFinished(() => agent.destroy());
  return (url, headers = {}) =>
    new Promise((resolve, reject) => {
      const target = new URL(url);
      const req = http.request({ host: '127.0.0.1', port: proxyPort, path: url, agent, headers: { host: target.host, ...headers } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
}

/** Runs `tasks` with at most `concurrency` at once; resolves when all are done. */
export async function inParallel<T>(tasks: (() => Promise<T>)[], concurrency: number): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await (tasks[index] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}
