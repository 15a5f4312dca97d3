/**
 * The answers the proxy gives when it cannot deliver a request: a status and a short body naming
 * the service, the instance tried and the cause — text for people, JSON when the client asks.
 * Causes can quote upstream error messages, so they are reduced to printable ASCII before they go
 * into a header: an error answer must never itself be a malformed response.
 */
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import http from '../node-http.js';
import type { Duplex } from 'node:stream';

export interface ProxyFailure {
  status: number;
  service: string | null;
  instance: string | null;
  cause: string;
}

export function sendProxyError(accept: string | undefined, method: string | undefined, res: ServerResponse, failure: ProxyFailure): void {
  if (res.headersSent) {
    // The client already has a status line; all we can still say is that the body is cut.
    res.destroy();
    return;
  }
  if (res.destroyed) return;
  const { type, body } = errorBody(accept, failure);
  res.writeHead(failure.status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'x-meshdesk-error': printable(failure.cause),
  });
  res.end(method === 'HEAD' ? undefined : body);
}

/**
 * For sockets that left the HTTP server (CONNECT, upgrades, parse errors): a complete response
 * written by hand, after which the connection is closed. Whatever the client still sends is read
 * and dropped until it closes (or a grace period ends): closing a socket with unread input makes the
 * kernel reset the connection, which can destroy the answer before the client reads it.
 */
export function writeRawError(socket: Duplex, headers: IncomingHttpHeaders | null, failure: ProxyFailure): void {
  if (socket.destroyed || !socket.writable || socket.writableEnded) {
    if (!socket.writableEnded) socket.destroy();
    return;
  }
  const { type, body } = errorBody(headers?.accept, failure);
  const head =
    `HTTP/1.1 ${failure.status} ${http.STATUS_CODES[failure.status] ?? 'Error'}\r\n` +
    `content-type: ${type}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
    `x-meshdesk-error: ${printable(failure.cause)}\r\nconnection: close\r\n\r\n`;
  socket.end(head + body);
  socket.on('data', discard);
  socket.resume();
  const grace = setTimeout(() => socket.destroy(), CLOSE_GRACE_MS);
  socket.once('close', () => clearTimeout(grace));
}

const CLOSE_GRACE_MS = 2_000;

function discard(): void {}

export function errorBody(accept: string | undefined, failure: ProxyFailure): { type: string; body: string } {
  if (accept !== undefined && accept.includes('application/json')) {
    const { status, service, instance, cause } = failure;
    return { type: 'application/json', body: JSON.stringify({ error: cause, status, service, instance }) };
  }
  return { type: 'text/plain; charset=utf-8', body: `meshdesk: ${describe(failure)}\n` };
}

function describe({ status, service, instance, cause }: ProxyFailure): string {
  const where = service ? ` (service ${service}${instance ? `, instance ${instance}` : ''})` : instance ? ` (instance ${instance})` : '';
  return `${status} ${cause}${where}`;
}

function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]+/g, ' ').slice(0, 200);
}
