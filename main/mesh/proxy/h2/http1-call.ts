/**
 * An HTTP/2 call sent to an instance over HTTP/1.1 (a service with `protocol: http1`, for instances
 * that do not speak HTTP/2): undici's request on the instance's kept-alive pool, shown to the
 * stream exchange as the HTTP/2 stream it would otherwise have — 'response' with `:status`, 'data'
 * with backpressure, 'trailers', 'end', 'error', 'close', and a writable side for the request body.
 * Only the part of a ClientHttp2Stream that stream-exchange.ts and request-relay.ts use is here.
 */
import { EventEmitter } from 'node:events';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http2';
import { PassThrough, type Readable } from 'node:stream';
import type { Pool } from '../undici-engine.js';

export class Http1Call extends EventEmitter {
  rstCode: number | undefined = undefined;
  readableEnded = false;
  closed = false;
  private readonly requestBody = new PassThrough();
  private readonly aborter = new AbortController();
  private responseBody: Readable | null = null;

  constructor(pool: Pool, headers: OutgoingHttpHeaders, hasBody: boolean) {
    super();
    this.requestBody.on('drain', () => this.emit('drain'));
    const { ':method': method, ':path': path, ':authority': authority, ...rest } = headers;
    const plain: Record<string, string | string[]> = { host: String(authority ?? '') };
    for (const [name, value] of Object.entries(rest)) {
      if (!name.startsWith(':') && value !== undefined) plain[name] = Array.isArray(value) ? value : String(value);
    }
    pool
      .request({
        method: String(method ?? 'GET') as 'GET',
        path: String(path ?? '/'),
        headers: plain,
        body: hasBody ? this.requestBody : null,
        signal: this.aborter.signal,
      })
      .then(
        (response) => {
          if (this.closed) return;
          this.responseBody = response.body;
          // HTTP/1.1 has no END_STREAM on headers: the flags say the answer goes on.
          const headers: IncomingHttpHeaders = { ...response.headers, ':status': String(response.statusCode) };
          this.emit('response', headers, 0);
          response.body.on('data', (chunk: Buffer) => this.emit('data', chunk));
          response.body.once('end', () => {
            this.readableEnded = true;
            if (Object.keys(response.trailers).length > 0) this.emit('trailers', response.trailers as IncomingHttpHeaders);
            this.emit('end');
            this.finish();
          });
          response.body.once('error', (error: Error) => this.fail(error));
        },
        (error: Error) => this.fail(error),
      );
  }

  write(chunk: Buffer): boolean {
    return this.requestBody.write(chunk);
  }

  end(): void {
    this.requestBody.end();
  }

  pause(): void {
    this.responseBody?.pause();
  }

  resume(): void {
    this.responseBody?.resume();
  }

  /** Gives up the request, as an HTTP/2 stream's close(code) does. */
  close(code?: number): void {
    if (this.closed) return;
    this.rstCode = code;
    this.aborter.abort();
    this.responseBody?.destroy();
    this.finish();
  }

  private fail(error: Error): void {
    if (this.closed) return;
    this.emit('error', error);
    this.finish();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.emit('close');
  }
}
