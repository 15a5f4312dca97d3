/** What one health probe found, in words for the event log, whatever kind of check it was. */
import { formatMs } from './describe-check.js';

export interface ProbeResult {
  ok: boolean;
  /** What happened, for the event log: `HTTP 200`, `HTTP 503, expected 2xx`, `connection refused`. */
  reason: string;
}

export function describeNetworkError(error: Error & { code?: string }, timeoutMs: number): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
      return 'connection reset';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'ABORT_ERR':
    case 'ETIMEDOUT':
      return `no answer within ${formatMs(timeoutMs)}`;
    default:
      return error.name === 'AbortError' || error.name === 'TimeoutError' ? `no answer within ${formatMs(timeoutMs)}` : error.message;
  }
}
