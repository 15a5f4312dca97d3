/**
 * The request log's columns for what only HTTP/2 calls and gRPC calls carry — the protocol, the gRPC
 * status, message and message counts — kept like the log's other columns (request-log.ts): typed
 * arrays and references, nothing allocated per exchange.
 */
import type { RequestEvent } from '../../../shared/events.js';

/** `grpcStatus` of an exchange that is not a gRPC call, and of a call that ended without a status. */
const NOT_GRPC = -1;
const NO_STATUS = -2;

export class CallColumns {
  /** 1 for an HTTP/2 call. */
  private readonly h2: Uint8Array;
  private readonly grpcStatus: Int16Array;
  private readonly grpcMessage: (string | null)[];
  private readonly messagesIn: Uint32Array;
  private readonly messagesOut: Uint32Array;

  constructor(capacity: number) {
    this.h2 = new Uint8Array(capacity);
    this.grpcStatus = new Int16Array(capacity);
    this.grpcMessage = new Array<string | null>(capacity).fill(null);
    this.messagesIn = new Uint32Array(capacity);
    this.messagesOut = new Uint32Array(capacity);
  }

  set(slot: number, event: RequestEvent): void {
    this.h2[slot] = event.protocol === 'h2' ? 1 : 0;
    this.grpcStatus[slot] = event.grpc === undefined ? NOT_GRPC : (event.grpc.status ?? NO_STATUS);
    this.grpcMessage[slot] = event.grpc?.message ?? null;
    this.messagesIn[slot] = event.grpc?.messagesIn ?? 0;
    this.messagesOut[slot] = event.grpc?.messagesOut ?? 0;
  }

  /** The fields to spread into the slot's event: none for a plain HTTP/1.x exchange. */
  get(slot: number): Pick<RequestEvent, 'protocol' | 'grpc'> {
    const protocol = this.h2[slot] === 1 ? { protocol: 'h2' as const } : {};
    const status = this.grpcStatus[slot] as number;
    if (status === NOT_GRPC) return protocol;
    return {
      ...protocol,
      grpc: {
        status: status === NO_STATUS ? null : status,
        message: this.grpcMessage[slot] as string | null,
        messagesIn: this.messagesIn[slot] as number,
        messagesOut: this.messagesOut[slot] as number,
      },
    };
  }
}
