/** How the log's cells print: short, fixed width where it helps scanning down a column. */

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
