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
 *
 * Growing copies nothing: the records written so far stay where they are, in the buffer they were
 * written to, which is kept (read-only) until the ring has moved past all of them. Copying them over
 * touched every byte of each new buffer at once, about five times the final size over a ring's
 * growth to its budget; fresh memory is costly to touch (on the VMs this was measured on, 0.5–0.7 s
 * of CPU to grow a ring to 32 MB with 10 KB records, against 0.15 s for the writes alone).
 */
export class ByteRing {
  private readonly chunk: number;
  private readonly maxBytes: number;
  private buffer: Buffer;
  /** Virtual position of the first record written to `buffer`; older ones are in `retired`. */
  private since = 0;
  /** Earlier buffers, oldest first, each holding the records from `start` to `end`, until none of them is readable. */
  private retired: { buffer: Buffer; start: number; end: number }[] = [];
  /** Virtual position of the next write. */
  private head = 0;
  /** Nothing before this position can be read (cleared, or overwritten before the buffer grew). */
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

  /** Bytes of buffers held: the current one and any earlier ones still holding readable records. */
  get retainedBytes(): number {
    return this.retired.reduce((sum, { buffer }) => sum + buffer.length, this.buffer.length);
  }

  /**
   * Room for up to `length` contiguous bytes at the head: returns the buffer and the offset to
   * write at, or null when the record is larger than a chunk. `wantedFrom` is the virtual position
   * of the oldest record the owner still wants; the ring grows rather than overwrite it while it
   * may. The write is kept by `commit`, which may be given fewer bytes than were asked for.
   */
  reserve(length: number, wantedFrom: number): { buffer: Buffer; offset: number } | null {
    if (length > this.chunk) return null;
    while (this.capacity < this.maxBytes && this.overwrites(length, wantedFrom)) this.grow();
    this.head += this.skip(length);
    return { buffer: this.buffer, offset: this.head % this.capacity };
  }

  /** Keeps the `length` bytes written after `reserve`; returns their virtual position. */
  commit(length: number): number {
    const start = this.head;
    this.head += length;
    if (this.retired.length > 0) this.releaseRetired();
    return start;
  }

  /** The bytes of a record, while they have not been overwritten; a view, to be read right away. */
  view(start: number, length: number): Buffer | null {
    if (!this.holds(start)) return null;
    const buffer = start >= this.since ? this.buffer : this.retired.find((old) => start >= old.start && start < old.end)?.buffer;
    if (buffer === undefined) return null;
    const offset = start % buffer.length;
    return buffer.subarray(offset, offset + length);
  }

  /** False for NaN, which the log uses for a record that never fitted. */
  holds(start: number): boolean {
    return start >= this.floor && start >= this.head - this.capacity && start <= this.head;
  }

  /** Forgets every record and gives the memory back. */
  clear(): void {
    this.buffer = Buffer.allocUnsafeSlow(this.chunk);
    this.retired = [];
    this.head += this.skip(this.chunk);
    this.floor = this.head;
    this.since = this.head;
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

  /**
   * Grows the buffer by about a quarter. The records written so far stay readable in the buffer
   * they are in (both sizes are whole chunks and no record crosses a chunk's end, so each is whole
   * there); new records go to the new buffer from the head on.
   */
  private grow(): void {
    const old = this.buffer;
    const chunks = Math.ceil((old.length * 1.25) / this.chunk);
    // Positions the old buffer had already overwritten must not become readable in the larger window.
    this.floor = Math.max(this.floor, this.head - old.length);
    if (this.head > Math.max(this.floor, this.since)) this.retired.push({ buffer: old, start: Math.max(this.floor, this.since), end: this.head });
    this.buffer = Buffer.allocUnsafeSlow(Math.min(this.maxBytes, chunks * this.chunk));
    this.since = this.head;
  }

  /** Lets go of earlier buffers whose records are all out of the readable window. */
  private releaseRetired(): void {
    const oldestReadable = Math.max(this.floor, this.head - this.capacity);
    while (this.retired.length > 0 && (this.retired[0] as { end: number }).end <= oldestReadable) this.retired.shift();
  }
}
