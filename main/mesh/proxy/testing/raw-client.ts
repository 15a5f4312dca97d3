/**
 * Clients for proxy tests that need to control every byte: a raw TCP client for hostile and
 * hand-framed input, and a minimal forward-proxy request (absolute URI over a fresh connection)
 * for "a normal request still succeeds" checks.
 */
import http, { type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import net from 'node:net';

export interface RawResult {
  /** Everything the proxy sent, as latin1 text. */
  text: string;
  /** True when the proxy closed the connection (rather than the wait ending). */
  closed: boolean;
}

export interface RawOptions {
  /** Resolve as soon as the received text satisfies this. */
  until?: (text: string) => boolean;
  /** Give up waiting after this long and resolve with what arrived. */
  timeoutMs?: number;
}

/** Sends `payload` (pieces written in order) over one connection and collects the answer. */
export function rawRequest(port: number, payload: string | Buffer | (string | Buffer)[], options: RawOptions = {}): Promise<RawResult> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    let settled = false;
    const settle = (closed: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ text, closed });
    };
    const timer = setTimeout(() => settle(false), options.timeoutMs ?? 5_000);
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (options.until?.(text)) settle(false);
    });
    socket.on('close', () => settle(true));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') settle(true);
      else if (!settled) reject(error);
    });
    for (const piece of Array.isArray(payload) ? payload : [payload]) socket.write(piece);
  });
}

/** True once `text` holds `count` complete responses (Content-Length or chunked framing). */
export function hasResponses(count: number): (text: string) => boolean {
  return (text) => {
    let rest = text;
    for (let i = 0; i < count; i++) {
      const end = rest.indexOf('\r\n\r\n');
      if (end < 0) return false;
      const head = rest.slice(0, end).toLowerCase();
      let body = rest.slice(end + 4);
      const length = /\r\ncontent-length: *(\d+)/.exec(head);
      if (length) {
        if (body.length < Number(length[1])) return false;
        body = body.slice(Number(length[1]));
      } else if (/\r\ntransfer-encoding: *chunked/.test(head)) {
        const last = body.indexOf('\r\n0\r\n\r\n');
        const first = body.startsWith('0\r\n\r\n') ? 0 : last < 0 ? -1 : last + 2;
        if (first < 0) return false;
        body = body.slice(first + 5);
      } else if (!/^http\/1\.[01] (1\d\d|204|304)/.test(head)) {
        return false; // delimited by the connection closing
      }
      rest = body;
    }
    return true;
  };
}

/** The status code of the first response in `text`, or 0. */
export function statusOf(text: string): number {
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(text);
  return match ? Number(match[1]) : 0;
}

/** Every status code in a stream of responses (pipelining). */
export function statusesOf(text: string): number[] {
  return [...text.matchAll(/HTTP\/1\.[01] (\d{3})/g)].map((match) => Number(match[1]));
}

export interface SimpleResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One request through the proxy at `proxyPort` as a forward proxy: `url` is absolute. */
export function proxyRequest(
  proxyPort: number,
  url: string,
  options: { method?: string; headers?: OutgoingHttpHeaders; body?: string | Buffer } = {},
): Promise<SimpleResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: proxyPort, method: options.method ?? 'GET', path: url, headers: options.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A request in Linkerd's form: origin-form path to the proxy, the service in the Host header. */
export function hostRoutedRequest(proxyPort: number, host: string, path: string, headers: OutgoingHttpHeaders = {}): Promise<SimpleResponse> {
  return proxyRequest(proxyPort, path, { headers: { ...headers, host } });
}

/**
 * Opens a CONNECT tunnel to `target` through the proxy (`early`: bytes sent right behind the CONNECT)
 * and resolves once the proxy's answer head arrived, with the socket paused right after it.
 */
export function connectThrough(proxyPort: number, target: string, early = ''): Promise<{ socket: net.Socket; head: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port: proxyPort, host: '127.0.0.1', allowHalfOpen: true });
    socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n${early}`);
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const end = text.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      socket.pause();
      if (end + 4 < text.length) socket.unshift(Buffer.from(text.slice(end + 4)));
      resolve({ socket, head: text.slice(0, end) });
    };
    socket.on('data', onData);
    socket.on('error', reject);
  });
}
