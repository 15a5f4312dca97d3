/**
 * An HTTP/2 call's request body on its way to the instance, message by message with backpressure,
 * and kept while no answer has begun: a call refused or cut before any of its answer came (a
 * REFUSED_STREAM, an instance killed mid-call, its connection gone) can then be sent again to
 * another instance, as gRPC's own transparent retry does. What is kept is bounded per call; a call
 * whose body outgrows it simply is not sent again, and nothing is kept once the answer begins.
 */
import type { ServerHttp2Stream } from 'node:http2';

/** Request bytes kept per call for sending it again (a unary gRPC request is usually far smaller). */
export const REPLAY_LIMIT_BYTES = 64 * 1024;

/** Where the body goes: an HTTP/2 stream to the instance, or an HTTP/1.1 request shown as one. */
export interface RelayTarget {
  write(chunk: Buffer): boolean;
  end(): void;
  once(event: 'drain', listener: () => void): unknown;
}

export class RequestRelay {
  private kept: Buffer[] | null = [];
  private keptBytes = 0;
  private ended = false;
  private listening = false;
  private target: RelayTarget | null = null;

  constructor(
    private readonly client: ServerHttp2Stream,
    /** Told of each chunk once, as it is read from the client (byte counts, the log's capture). */
    private readonly onChunk: (chunk: Buffer) => void,
  ) {}

  /** Whether every byte read so far is still at hand to be sent again. */
  get replayable(): boolean {
    return this.kept !== null;
  }

  /** Sends what was read so far to `target`, then the rest as it comes. */
  attach(target: RelayTarget): void {
    this.target = target;
    if (this.kept !== null) for (const chunk of this.kept) target.write(chunk);
    if (this.ended) {
      target.end();
      return;
    }
    if (!this.listening) {
      this.listening = true;
      this.client.on('data', this.onData);
      this.client.once('end', this.onEnd);
    }
    this.client.resume();
  }

  /** The attempt failed: nothing more goes to it, and the client waits until the next one attaches. */
  detach(): void {
    this.target = null;
    this.client.pause();
  }

  /** The answer began: the call will not be sent again, so nothing more is kept. */
  release(): void {
    this.kept = null;
  }

  private readonly onData = (chunk: Buffer): void => {
    this.onChunk(chunk);
    if (this.kept !== null) {
      this.keptBytes += chunk.length;
      if (this.keptBytes > REPLAY_LIMIT_BYTES) this.kept = null;
      else this.kept.push(chunk);
    }
    const target = this.target;
    if (target === null || target.write(chunk)) return;
    this.client.pause();
    target.once('drain', () => {
      if (this.target === target) this.client.resume();
    });
  };

  private readonly onEnd = (): void => {
    this.ended = true;
    this.target?.end();
  };
}
