/**
 * A log filter compiled once into a predicate over exchanges, so a scan of ten thousand entries
 * tests each against prepared values (lower-cased needles, a compiled RegExp) and lower-cases a
 * field only when a filter on it is set. One predicate for every place that filters: the mesh's
 * log query, the dashboard's live rows and `meshdesk tap` — so they always agree. Header and
 * free-text filters look at captured headers; where there are none (pushed events), `needsCapture`
 * tells the caller to ask the mesh instead.
 */
import type { RequestEvent } from './events.js';
import type { ExchangeCapture, LogQuery, RawHeaders } from './exchange.js';
import { grpcStatusName, parseGrpcStatus } from './grpc-codes.js';

export type LogFilter = Omit<Partial<LogQuery>, 'before' | 'limit'>;

export type ExchangePredicate = (event: RequestEvent, failed: boolean, capture: ExchangeCapture | null | undefined) => boolean;

/** True when the filter tests headers (or free text, which includes them): only captures can tell. */
export function needsCapture(filter: LogFilter): boolean {
  return Boolean(filter.headerName) || Boolean(filter.text);
}

export function compileFilter(filter: LogFilter): ExchangePredicate {
  const tests: ExchangePredicate[] = [];
  const exact = (value: string | undefined, field: (event: RequestEvent) => string | null) => {
    if (value === undefined) return;
    const wanted = value.toLowerCase();
    tests.push((event) => (field(event) ?? '').toLowerCase() === wanted);
  };
  exact(filter.service, (event) => event.service);
  exact(filter.caller, (event) => event.caller);
  exact(filter.version, (event) => event.version);
  exact(filter.instance, (event) => event.instance);
  exact(filter.kind, (event) => event.kind);
  exact(filter.method, (event) => event.method);
  if (filter.methodContains !== undefined) {
    const needle = filter.methodContains.toLowerCase();
    // A gRPC call's method is the one it calls (its path); its HTTP method is always POST.
    tests.push((event) => (event.grpc !== undefined ? event.path : event.method).toLowerCase().includes(needle));
  }
  if (filter.status !== undefined) tests.push(statusTest(filter.status));
  if (filter.grpcStatus !== undefined) {
    // Unparsable (a caller that skipped the schema): nothing has that status.
    const code = parseGrpcStatus(filter.grpcStatus);
    tests.push((event) => code !== null && event.grpc?.status === code);
  }
  if (filter.path !== undefined) {
    const needle = filter.path.toLowerCase();
    tests.push((event) => event.path.toLowerCase().includes(needle));
  }
  if (filter.pathRegex !== undefined) {
    const pattern = new RegExp(filter.pathRegex);
    tests.push((event) => pattern.test(event.path));
  }
  if (filter.minLatencyMs !== undefined) {
    const min = filter.minLatencyMs;
    tests.push((event) => event.timings.end >= min);
  }
  if (filter.errorsOnly) tests.push((_event, failed) => failed);
  if (filter.headerName !== undefined) tests.push(headerTest(filter.headerName, filter.headerValue));
  if (filter.text !== undefined && filter.text.length > 0) tests.push(textTest(filter.text.toLowerCase()));
  return (event, failed, capture) => tests.every((test) => test(event, failed, capture));
}

function statusTest(status: string): ExchangePredicate {
  if (/xx$/i.test(status)) {
    const hundreds = Number(status[0]);
    return (event) => Math.floor(event.status / 100) === hundreds;
  }
  const code = Number(status);
  return (event) => event.status === code;
}

function headerTest(name: string, value: string | undefined): ExchangePredicate {
  const wantedName = name.toLowerCase();
  const wantedValue = value?.toLowerCase();
  const has = (headers: RawHeaders | null | undefined) => {
    if (!headers) return false;
    for (let i = 0; i + 1 < headers.length; i += 2) {
      if ((headers[i] as string).toLowerCase() !== wantedName) continue;
      if (wantedValue === undefined || (headers[i + 1] as string).toLowerCase().includes(wantedValue)) return true;
    }
    return false;
  };
  return (_event, _failed, capture) => has(capture?.requestHeaders) || has(capture?.responseHeaders);
}

function textTest(needle: string): ExchangePredicate {
  const inHeaders = (headers: RawHeaders | null | undefined) => headers?.some((part) => part.toLowerCase().includes(needle)) ?? false;
  return (event, _failed, capture) =>
    [event.service, event.caller, event.version, event.instance, event.method, event.path, String(event.status), event.error].some((field) =>
      field?.toLowerCase().includes(needle),
    ) ||
    grpcTextIncludes(event, needle) ||
    inHeaders(capture?.requestHeaders) ||
    inHeaders(capture?.responseHeaders);
}

/** A gRPC call's status, by name, and its message contain the (lower-cased) needle. */
function grpcTextIncludes(event: RequestEvent, needle: string): boolean {
  const grpc = event.grpc;
  if (grpc === undefined) return false;
  return (grpc.status !== null && grpcStatusName(grpc.status).toLowerCase().includes(needle)) || (grpc.message?.toLowerCase().includes(needle) ?? false);
}
