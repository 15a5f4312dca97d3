// The request log's byte ring: records stay readable and intact while wanted, the buffer grows
// instead of overwriting them (up to its budget), and past the budget the oldest are lost, never
// read back as someone else's bytes. Run with `npx vitest run main/mesh/telemetry/byte-ring.test.ts`.
import { describe, expect, it } from 'vitest';
import { ByteRing } from './byte-ring.js';

/** Writes `text` as one record; returns its position. */
function put(ring: ByteRing, text: string, wantedFrom: number): number {
  const room = ring.reserve(text.length, wantedFrom);
  if (room === null) throw new Error('no room');
  room.buffer.write(text, room.offset, 'latin1');
  return ring.commit(text.length);
}

function read(ring: ByteRing, start: number, length: number): string | null {
  return ring.view(start, length)?.toString('latin1') ?? null;
}

describe('ByteRing', () => {
  it('grows to keep every wanted record intact, and stops at its budget', () => {
    const ring = new ByteRing(64 * 1024, 1024);
    const records: { start: number; text: string }[] = [];
    for (let i = 0; i < 300; i++) {
      const text = `record ${i} `.padEnd(100 + (i % 37), String.fromCharCode(65 + (i % 26)));
      records.push({ start: put(ring, text, records[0]?.start ?? Infinity), text });
    }
    expect(ring.capacity).toBeGreaterThan(1024);
    expect(ring.capacity).toBeLessThanOrEqual(64 * 1024);
    // About a quarter of slack at most, plus a chunk: it does not double its way past what it needs.
    const live = records.reduce((sum, record) => sum + record.text.length, 0);
    expect(ring.capacity).toBeLessThan(live * 1.25 + 2 * 1024);
    for (const { start, text } of records) expect(read(ring, start, text.length)).toBe(text);
  });

  it('grows without moving a record: each stays readable where it was written, and earlier buffers go once nothing in them is', () => {
    const ring = new ByteRing(16 * 1024, 1024);
    const records: { start: number; text: string }[] = [];
    for (let i = 0; i < 60; i++) {
      const text = `grown ${i} `.padEnd(150, String.fromCharCode(97 + (i % 26)));
      records.push({ start: put(ring, text, records[0]?.start ?? Infinity), text });
    }
    expect(ring.retainedBytes).toBeGreaterThan(ring.capacity);
    for (const { start, text } of records) expect(read(ring, start, text.length)).toBe(text);
    // Nobody wants the old records any more: once the ring has written a whole buffer past them, only the current buffer is held.
    let last = { start: 0, text: '' };
    for (let i = 0; i * 150 < 2 * ring.capacity; i++) {
      const text = `later ${i} `.padEnd(150, '-');
      last = { start: put(ring, text, Infinity), text };
    }
    expect(ring.retainedBytes).toBe(ring.capacity);
    expect(read(ring, records[0]?.start ?? 0, 150)).toBeNull();
    expect(read(ring, last.start, last.text.length)).toBe(last.text);
  });

  it('overwrites the oldest records once at its budget, and reports them gone', () => {
    const ring = new ByteRing(4 * 1024, 1024);
    const records: { start: number; text: string }[] = [];
    for (let i = 0; i < 100; i++) {
      const text = `#${i}`.padEnd(200, '.');
      records.push({ start: put(ring, text, records[0]?.start ?? Infinity), text });
    }
    expect(ring.capacity).toBe(4 * 1024);
    const readable = records.filter(({ start, text }) => read(ring, start, text.length) !== null);
    // Five 200-byte records per 1 KiB chunk, four chunks: the newest 16 to 20 are kept.
    expect(readable.length).toBeGreaterThanOrEqual(15);
    expect(readable.length).toBeLessThanOrEqual(20);
    expect(readable.map(({ text }) => text)).toEqual(records.slice(-readable.length).map(({ text }) => text));
    for (const { start, text } of readable) expect(read(ring, start, text.length)).toBe(text);
  });

  it('does not grow for records nobody wants any more', () => {
    const ring = new ByteRing(1024 * 1024, 1024);
    let last = 0;
    for (let i = 0; i < 1_000; i++) last = put(ring, 'x'.repeat(100), Infinity);
    expect(ring.capacity).toBe(1024);
    expect(read(ring, last, 100)).toBe('x'.repeat(100));
  });

  it('refuses a record larger than a chunk, and forgets everything on clear', () => {
    const ring = new ByteRing(8 * 1024, 1024);
    expect(ring.reserve(1025, Infinity)).toBeNull();
    const start = put(ring, 'kept', Infinity);
    expect(read(ring, start, 4)).toBe('kept');
    ring.clear();
    expect(read(ring, start, 4)).toBeNull();
    const after = put(ring, 'new', Infinity);
    expect(read(ring, after, 3)).toBe('new');
    expect(ring.holds(NaN)).toBe(false);
  });
});
