/**
 * gRPC status codes (grpc/doc/statuscodes.md) by name, for everything that shows or configures
 * them: the mesh's events carry the number, the log, tap and meshdesk.yaml speak the names.
 */

/** The codes by name (grpc/doc/statuscodes.md). */
export const GRPC = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;

export type GrpcStatusName = keyof typeof GRPC;

const NAMES = Object.keys(GRPC) as GrpcStatusName[];

/** `UNAVAILABLE` for 14; the number as text for a code outside the table. */
export function grpcStatusName(code: number): string {
  return NAMES[code] ?? String(code);
}

/** A code given by name (`UNAVAILABLE`, any case) or number (`14`); null when it is neither. */
export function parseGrpcStatus(text: string): number | null {
  const upper = text.trim().toUpperCase();
  if (upper in GRPC) return GRPC[upper as GrpcStatusName];
  return /^\d+$/.test(upper) && Number(upper) <= 16 ? Number(upper) : null;
}

/**
 * Which codes count as the service's failures by default: those that blame the server or the
 * network, as 5xx do for HTTP. The caller's own mistakes (INVALID_ARGUMENT, NOT_FOUND,
 * PERMISSION_DENIED, CANCELLED…) count as successes of the service, as 4xx do.
 */
export const DEFAULT_GRPC_FAILURE_CODES: readonly number[] = [
  GRPC.UNKNOWN,
  GRPC.DEADLINE_EXCEEDED,
  GRPC.RESOURCE_EXHAUSTED,
  GRPC.UNIMPLEMENTED,
  GRPC.INTERNAL,
  GRPC.UNAVAILABLE,
  GRPC.DATA_LOSS,
];
