/**
 * How CLI commands print: aligned tables for people, JSON for scripts (`--json`), and colour only
 * on a terminal and never when NO_COLOR is set (no-color.org).
 */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

type Colour = 'red' | 'green' | 'yellow' | 'dim';
const CODES: Record<Colour, [number, number]> = { red: [31, 39], green: [32, 39], yellow: [33, 39], dim: [2, 22] };

export function colour(text: string, which: Colour, stream: NodeJS.WriteStream = process.stdout): string {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return text;
  if (!stream.isTTY) return text;
  const [open, close] = CODES[which];
  return `\u001b[${open}m${text}\u001b[${close}m`;
}

export function percent(rate: number | null): string {
  return rate === null ? '-' : `${(rate * 100).toFixed(2)}%`;
}

export function millis(ms: number | null): string {
  if (ms === null) return '-';
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)}s` : `${ms < 10 ? ms.toFixed(1) : Math.round(ms)}ms`;
}

export function rate(rps: number): string {
  return `${rps.toFixed(1)}rps`;
}
