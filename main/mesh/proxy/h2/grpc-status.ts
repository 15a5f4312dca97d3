/**
 * gRPC's own words for what happened to a call, as the gRPC-over-HTTP/2 protocol spells them: the
 * status a call ended with (`grpc-status` in the trailers, or in the headers of a trailers-only
 * answer), the deadline a client set (`grpc-timeout`), and the answer the mesh gives a call it
 * could not forward — a trailers-only response, because every gRPC client reads the status from
 * there and prints `grpc-message` as the error's details, while an HTTP error status would only
 * show as a generic "Received http2 header with status: 502".
 */
import type { OutgoingHttpHeaders } from 'node:http2';
import { GRPC } from '../../../../shared/grpc-codes.js';

export { GRPC, grpcStatusName } from '../../../../shared/grpc-codes.js';

/** Whether a request is a gRPC call: its content type says so (`application/grpc`, `+proto`, `+json`…). */
export function isGrpc(contentType: string | string[] | undefined): boolean {
  return typeof contentType === 'string' && contentType.startsWith('application/grpc');
}

/** The status a header block carries, or null when it carries none. */
export function grpcStatusIn(headers: Record<string, unknown> | undefined): number | null {
  const value = headers?.['grpc-status'];
  if (typeof value !== 'string') return null;
  const code = Number(value);
  return Number.isInteger(code) && code >= 0 ? code : null;
}

/**
 * `grpc-message` as the wire carries it: UTF-8, with `%` and every byte outside printable ASCII
 * percent-encoded, and nothing else (clients decode with decodeURI, which leaves `%3A` as it is).
 */
export function encodeGrpcMessage(message: string): string {
  if (/^[\x20-\x24\x26-\x7e]*$/.test(message)) return message;
  let out = '';
  for (const byte of Buffer.from(message, 'utf8')) {
    out += byte >= 0x20 && byte <= 0x7e && byte !== 0x25 ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** `grpc-message` decoded (it is percent-encoded on the wire), or null. */
export function grpcMessageIn(headers: Record<string, unknown> | undefined): string | null {
  const value = headers?.['grpc-message'];
  if (typeof value !== 'string' || value === '') return null;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

const TIMEOUT_UNIT_MS: Readonly<Record<string, number>> = { H: 3_600_000, M: 60_000, S: 1_000, m: 1, u: 0.001, n: 0.000001 };

/** `grpc-timeout` (`100m`, `5S`, up to 8 digits and a unit) in milliseconds; null when absent or malformed. */
export function grpcTimeoutMs(value: string | string[] | undefined): number | null {
  if (typeof value !== 'string') return null;
  const match = /^(\d{1,8})([HMSmun])$/.exec(value);
  if (match === null) return null;
  return Number(match[1]) * (TIMEOUT_UNIT_MS[match[2] as string] as number);
}

/**
 * The gRPC status for an HTTP status the mesh would have answered with, as gRPC itself maps HTTP
 * errors (grpc/doc/http-grpc-status-mapping.md): a gateway error is UNAVAILABLE (a client may try
 * again), the mesh's own timeout DEADLINE_EXCEEDED.
 */
export function grpcStatusForHttp(status: number): number {
  switch (status) {
    case 400:
      return GRPC.INTERNAL;
    case 401:
      return GRPC.UNAUTHENTICATED;
    case 403:
      return GRPC.PERMISSION_DENIED;
    case 404:
      return GRPC.UNIMPLEMENTED;
    case 429:
    case 502:
    case 503:
      return GRPC.UNAVAILABLE;
    case 504:
      return GRPC.DEADLINE_EXCEEDED;
    default:
      return GRPC.UNKNOWN;
  }
}

/** A trailers-only answer: status 200, the gRPC status and its message, and the stream ends. */
export function trailersOnly(code: number, message: string, extra: OutgoingHttpHeaders = {}): OutgoingHttpHeaders {
  return {
    ':status': 200,
    'content-type': 'application/grpc',
    'grpc-status': String(code),
    'grpc-message': encodeGrpcMessage(message),
    ...extra,
  };
}
