/** How the log's cells print: short, fixed width where it helps scanning down a column. */
import type { RequestEvent } from '../../../shared/events.js';
import { grpcStatusName } from '../../../shared/grpc-codes.js';

/** `14:03:07.123` in local time. */
export function clockTime(epochMs: number): string {
  const date = new Date(epochMs);
  const two = (value: number) => String(value).padStart(2, '0');
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

export function latency(ms: number | null): string {
  if (ms === null) return '-';
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 10_000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

export function byteSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** `world@v2`, or the service alone when no version served it. */
export function target(service: string, version: string | null): string {
  return version ? `${service}@${version}` : service;
}

export function statusClass(status: number): 'ok' | 'redirect' | 'client-error' | 'server-error' | 'no-response' {
  if (status === 0) return 'no-response';
  if (status >= 500) return 'server-error';
  if (status >= 400) return 'client-error';
  if (status >= 300) return 'redirect';
  return 'ok';
}

type StatusFacts = Pick<RequestEvent, 'status' | 'error' | 'grpc' | 'failed'>;

/** The status cell: a gRPC call's status by name (its HTTP status is 200 whatever happened), else the HTTP status, else why there was none. */
export function statusText(row: StatusFacts): string {
  if (row.grpc !== undefined && row.grpc.status !== null) return grpcStatusName(row.grpc.status);
  return row.status === 0 ? (row.error ?? 'none') : String(row.status);
}

/** The status cell's tooltip: the whole story in words. */
export function statusTitle(row: StatusFacts): string | undefined {
  if (row.grpc === undefined) return row.error ?? undefined;
  return [grpcVerdict(row), row.error].filter((part) => part !== null && part !== '').join(' · ');
}

/** A gRPC call's outcome: its status by name and number, its message, and the HTTP status under it. */
export function grpcVerdict(row: Pick<RequestEvent, 'status' | 'grpc'>): string {
  const { status, message } = row.grpc ?? { status: null, message: null };
  const code = status === null ? 'gRPC call ended without a status' : `gRPC status ${grpcStatusName(status)} (${status})`;
  // grpc-js says `OK` as the message of every OK call: said once is enough.
  const said = message === null || message === '' || (status !== null && message === grpcStatusName(status)) ? [] : [message];
  return [code, ...said, `HTTP ${row.status || 'none'}`].join(' · ');
}

/** A row's colour class: gRPC calls by their verdict, since their HTTP status says nothing. */
export function rowStatusClass(row: StatusFacts): ReturnType<typeof statusClass> {
  if (row.grpc === undefined || row.status === 0) return statusClass(row.status);
  if (row.grpc.status === 0) return 'ok';
  return row.failed ? 'server-error' : 'client-error';
}

/** The method cell: `gRPC` for a gRPC call, `GET h2` for another HTTP/2 request. */
export function methodText(row: Pick<RequestEvent, 'method' | 'protocol' | 'grpc'>): string {
  if (row.grpc !== undefined) return 'gRPC';
  return row.protocol === 'h2' ? `${row.method} h2` : row.method;
}
