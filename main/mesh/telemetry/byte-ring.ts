/**
 * A ring of bytes for the request log's captured details: records are written once, read rarely,
 * and the newest always win. Keeping them as bytes in one buffer, instead of as a graph of strings,
 * arrays and small Buffers per exchange, is what keeps the log out of V8's old space: a busy proxy
 * otherwise promotes every exchange it logs, and the process's RSS follows the heap's high-water
 * mark between full collections (see the README's memory figures).
 *
 * Positions are virtual: a byte count since the ring was made, never reused. A record at `start` is
 * readable while it lies within the last `capacity` bytes written, so nobody has to be told when a
 * record is overwritten. The buffer is a whole number of chunks and no record crosses a chunk's end
 * (the ring skips to the next chunk instead), so every record is one contiguous slice, before and
 * after the buffer grows. It starts at one chunk and grows by about a quarter, up to `maxBytes`,
 * whenever a write would otherwise overwrite a record its owner still wants; past that the oldest
 * records are lost.
 */
export class ByteRing {
  private readonly chunk: number;
  private readonly maxBytes: number;
  private buffer: Buffer;
  /** Virtual position of the next write. */
  private head = 0;
  /** Nothing before this position can be read (cleared, or not copied when the buffer grew). */
  private floor = 0;

  /** `chunkBytes` is also the largest record the ring takes. */
  constructor(maxBytes: number, chunkBytes: number) {
    this.chunk = Math.max(1, Math.min(chunkBytes, maxBytes));
    this.maxBytes = Math.max(this.chunk, maxBytes - (maxBytes % this.chunk));
    this.buffer = Buffer.allocUnsafeSlow(this.chunk);
  }

  get capacity(): number {
    return this.buffer.length;
  }

  /**
   * Room for up to `length` contiguous bytes at the head: returns the buffer and the offset to
   * write at, or null when the record is larger than a chunk. `wantedFrom` is the virtual position
   * of the oldest record the owner still wants; the ring grows rather than overwrite it while it
   * may. The write is kept by `commit`, which may be given fewer bytes than were asked for.
   */
  reserve(length: number, wantedFrom: number): { buffer: Buffer; offset: number } | null {
    if (length > this.chunk) return null;
    while (this.capacity < this.maxBytes && this.overwrites(length, wantedFrom)) this.grow(wantedFrom);
    this.head += this.skip(length);
    return { buffer: this.buffer, offset: this.head % this.capacity };
  }

  /** Keeps the `length` bytes written after `reserve`; returns their virtual position. */
  commit(length: number): number {
    const start = this.head;
    this.head += length;
    return start;
  }

  /** The bytes of a record, while they have not been overwritten; a view, to be read right away. */
  view(start: number, length: number): Buffer | null {
    if (!this.holds(start)) return null;
    const offset = start % this.capacity;
    return this.buffer.subarray(offset, offset + length);
  }

  /** False for NaN, which the log uses for a record that never fitted. */
  holds(start: number): boolean {
    return start >= this.floor && start >= this.head - this.capacity && start <= this.head;
  }

  /** Forgets every record and gives the memory back. */
  clear(): void {
    this.buffer = Buffer.allocUnsafeSlow(this.chunk);
    this.head += this.skip(this.chunk);
    this.floor = this.head;
  }

  /** Bytes to skip so that a record of `length` does not cross the end of a chunk. */
  private skip(length: number): number {
    const inChunk = this.head % this.chunk;
    return inChunk + length > this.chunk ? this.chunk - inChunk : 0;
  }

  /** Whether writing `length` bytes now would overwrite a record from `wantedFrom` on. */
  private overwrites(length: number, wantedFrom: number): boolean {
    const oldestKept = this.head + this.skip(length) + length - this.capacity;
    return Math.max(wantedFrom, this.head - this.capacity, this.floor) < oldestKept;
  }

  /** Grows the buffer by about a quarter, keeping every readable byte from `wantedFrom` in place. */
  private grow(wantedFrom: number): void {
    const old = this.buffer;
    const chunks = Math.ceil((old.length * 1.25) / this.chunk);
    const next = Buffer.allocUnsafeSlow(Math.min(this.maxBytes, chunks * this.chunk));
    const from = Math.max(wantedFrom, this.head - old.length, this.floor);
    // Both sizes are whole chunks and no record crosses a chunk's end, so no record is split.
    for (let position = from; position < this.head;) {
      const at = position % old.length;
      const to = position % next.length;
      const run = Math.min(old.length - at, next.length - to, this.head - position);
      old.copy(next, to, at, at + run);
      position += run;
    }
    this.buffer = next;
    this.floor = Math.max(this.floor, Math.min(from, this.head));
  }
}
