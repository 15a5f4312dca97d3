/**
 * 100 MB bodies in both directions pass through without being buffered: the bytes arrive intact
 * (counted and checksummed) and the process's memory (proxy, client and upstream share it) never
 * grows by anything near the body size while they flow.
 * Run: npx vitest run main/mesh/proxy/large-bodies.test.ts
 */
import { createHash } from 'node:crypto';
import http, { type IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { startProxy, startUpstream } from './testing/harness.js';

const SIZE = 100 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 'meshdesk streaming ');
/** Far below SIZE: buffering the body anywhere would cross it. */
const MAX_GROWTH = 32 * 1024 * 1024;

function generated(size: number): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= size) {
        this.push(null);
        return;
      }
      const piece = size - sent >= CHUNK.length ? CHUNK : CHUNK.subarray(0, size - sent);
      sent += piece.length;
      this.push(piece);
    },
  });
}

async function digest(stream: AsyncIterable<Buffer>): Promise<{ bytes: number; sha: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of stream) {
    bytes += chunk.length;
    hash.update(chunk);
  }
  return { bytes, sha: hash.digest('hex') };
}

const expected = await digest(generated(SIZE) as AsyncIterable<Buffer>);

// Streaming makes ~100 MB of short-lived chunk buffers; sampling after a full collection measures
// what is actually held (a buffering proxy would hold the body) rather than garbage not yet swept.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

function liveBytes(): number {
  // Twice: V8 frees ArrayBuffer memory in a sweep that finishes after the collection that found it dead.
  collect();
  collect();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

/** Samples live memory while `work` runs; returns the peak growth over the starting value. */
async function peakGrowth(work: () => Promise<void>): Promise<number> {
  const baseline = liveBytes();
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, liveBytes())), 50);
  try {
    await work();
  } finally {
    clearInterval(sampler);
  }
  return peak - baseline;
}

// Moving 2 × 100 MB through loopback takes seconds on a busy two-core machine.
describe('100 MB bodies', { timeout: 60_000 }, () => {
  it('uploads 100 MB (chunked) without buffering it', async () => {
    let received: { bytes: number; sha: string } | null = null;
    const world = await startUpstream(async (req, res) => {
      received = await digest(req as AsyncIterable<Buffer>);
      res.end('stored');
    });
    const harness = await startProxy();
    harness.register({ world: [world.address] });
    const growth = await peakGrowth(async () => {
      const res = await new Promise<IncomingMessage>((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port: harness.port, method: 'PUT', path: 'http://world/big', agent: false }, resolve);
        req.on('error', reject);
        generated(SIZE).pipe(req);
      });
      expect(res.statusCode).toBe(200);
      res.resume();
    });
    expect(received).toEqual(expected);
    expect(growth).toBeLessThan(MAX_GROWTH);
  });

  it('downloads 100 MB without buffering it', async () => {
    const world = await startUpstream((_req, res) => {
      res.writeHead(200, { 'content-length': String(SIZE) });
      generated(SIZE).pipe(res);
    });
    const harness = await startProxy();
    harness.register({ world: [world.address] });
    let got: { bytes: number; sha: string } | null = null;
    const growth = await peakGrowth(async () => {
      const res = await new Promise<IncomingMessage>((resolve, reject) => {
        http.get({ host: '127.0.0.1', port: harness.port, path: 'http://world/big', agent: false }, resolve).on('error', reject);
      });
      got = await digest(res as AsyncIterable<Buffer>);
    });
    expect(got).toEqual(expected);
    expect(growth).toBeLessThan(MAX_GROWTH);
  });
});
