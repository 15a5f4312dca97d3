/**
 * What `tap` needs beyond the pushed events: the stream carries each exchange's summary, not its
 * headers and bodies (they would make every batch many times larger for every dashboard). When a
 * tap filters by header or free text, or shows bodies, it asks the log for the one exchange that
 * already passed the cheap part of its filter — at most one call per shown candidate, never one
 * per request crossing the mesh.
 */
import { AdminCallError, type AdminClient } from '../../shared/admin-client.js';
import type { RequestEvent } from '../../shared/events.js';
import type { Exchange, ExchangeCapture } from '../../shared/exchange.js';
import { compileFilter, needsCapture, type LogFilter } from '../../shared/log-filter.js';

export interface TapFilter {
  /** True when the event can be decided from its summary alone, and passes. */
  matchesSummary(event: RequestEvent): boolean;
  /** Whether `exchangeFor` must be asked before deciding. */
  readonly needsExchange: boolean;
  /** The full filter, headers and free text included, with the headers the log kept of the event. */
  matchesExchange(event: RequestEvent, exchange: Exchange): boolean;
}

export function tapFilter(filter: LogFilter): TapFilter {
  const { headerName: _name, headerValue: _value, text: _text, ...summary } = filter;
  const onSummary = compileFilter(summary);
  const full = compileFilter(filter);
  return {
    matchesSummary: (event) => onSummary(event, event.failed, null),
    needsExchange: needsCapture(filter),
    matchesExchange: (event, exchange) => full(event, event.failed, captureOf(exchange)),
  };
}

/** The log's header pairs as the filter reads captures: [name, value, name, value, …]. */
function captureOf(exchange: Exchange): ExchangeCapture {
  return {
    requestHeaders: exchange.requestHeaders?.flat() ?? null,
    responseHeaders: exchange.responseHeaders?.flat() ?? null,
    requestBody: null,
    responseBody: null,
  };
}

/** The logged exchange of an event; null when the log no longer holds it (cleared, or overtaken). */
export async function exchangeFor(client: AdminClient, event: RequestEvent): Promise<Exchange | null> {
  try {
    return await client.call('getExchange', { id: event.id });
  } catch (error) {
    if (error instanceof AdminCallError && error.status === 404) return null;
    throw error;
  }
}
