/**
 * Request items of the push stream, serialised once as they are published and kept as UTF-8 bytes
 * outside V8's heap until the next batch goes out.
 *
 * Why bytes and not the events: a batch waits up to 100 ms, and under load V8's young generation
 * (2 MB with the flags `meshdesk serve` runs with) is scavenged every 20 ms or so, so every event
 * object held for the batch, with its timings, attempts and decision steps, survived into the old
 * generation and died there; and the flush's one JSON.stringify of the whole batch (a few hundred
 * events, 1–2 ms) stalled the requests that arrived meanwhile, every 100 ms. The JSON string made
 * here dies young, and the bytes cost the collector nothing. `npm run bench:push-stream` (6,000
 * events/s, 3 runs of 2 rounds): an attached dashboard's GC time went from +8.0–11.9 ms per second
 * to +0.6–5.7 (whole events) and +2.2–2.3 (log rows); CPU per event is the serialisation's either way.
 */

/** Bounds of one batch's rows: past either, new rows are dropped and counted (the view then catches up from the log). */
export interface JsonRowLimits {
  maxRows: number;
  maxBytes: number;
}

const INITIAL_BYTES = 64 * 1024;

export class JsonRows {
  private buffer = Buffer.allocUnsafe(INITIAL_BYTES);
  private length = 0;
  private rowCount = 0;
  private droppedCount = 0;

  constructor(private readonly limits: JsonRowLimits) {}

  get rows(): number {
    return this.rowCount;
  }

  get dropped(): number {
    return this.droppedCount;
  }

  /** Bytes of the buffer the rows are written to. */
  get capacity(): number {
    return this.buffer.length;
  }

  /** Appends `prefix + json + suffix` as one row, or counts it dropped when the batch is full. */
  append(prefix: string, json: string, suffix: string): void {
    // Latin-1 and ASCII text is 1 byte a character in UTF-8; anything else at most 3 per UTF-16 unit.
    const worst = (prefix.length + json.length + suffix.length) * 3 + 1;
    if (this.rowCount >= this.limits.maxRows || !this.ensure(this.length + worst)) {
      this.droppedCount++;
      return;
    }
    if (this.rowCount > 0) this.buffer[this.length++] = 0x2c; // ','
    this.length += this.buffer.write(prefix, this.length, 'latin1');
    this.length += this.buffer.write(json, this.length, 'utf8');
    this.length += this.buffer.write(suffix, this.length, 'latin1');
    this.rowCount++;
  }

  /** The rows so far as one comma-separated byte string (a copy: the buffer is reused), and empties it. */
  take(): { bytes: Buffer; rows: number; dropped: number } {
    const used = this.length;
    const taken = { bytes: Buffer.from(this.buffer.subarray(0, used)), rows: this.rowCount, dropped: this.droppedCount };
    this.empty();
    // A steady stream keeps the buffer it grew to. Given back after every batch, it was grown again
    // by each one (64, 128, 256, 512 KB: a megabyte allocated outside the heap and copied every
    // 100 ms at 11,000 events a second, memory V8 counts towards its next full collection). A batch
    // that used less than an eighth of a large buffer gives it back: a burst's buffer is not kept
    // for the quiet minutes after it.
    if (this.buffer.length > 4 * INITIAL_BYTES && used < this.buffer.length / 8) this.shrink();
    return taken;
  }

  /** Empties it, and gives back a large buffer (nobody is reading the rows any more). */
  clear(): void {
    this.empty();
    if (this.buffer.length > 4 * INITIAL_BYTES) this.shrink();
  }

  private empty(): void {
    this.length = 0;
    this.rowCount = 0;
    this.droppedCount = 0;
  }

  private shrink(): void {
    this.buffer = Buffer.allocUnsafe(INITIAL_BYTES);
  }

  private ensure(bytes: number): boolean {
    if (bytes <= this.buffer.length) return true;
    if (bytes > this.limits.maxBytes) return false;
    const grown = Buffer.allocUnsafe(Math.min(this.limits.maxBytes, Math.max(bytes, this.buffer.length * 2)));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
    return true;
  }
}
