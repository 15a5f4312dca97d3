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

/** What the colour decision reads of a stream; a plain object in tests, process.stdout otherwise. */
export interface ColourTarget {
  isTTY?: boolean;
}

/**
 * Colour only on a terminal (pipes and files get plain text for grep and scripts), and never when
 * NO_COLOR holds any non-empty value: no-color.org says an empty NO_COLOR means "not set".
 */
export function colourEnabled(stream: ColourTarget = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return stream.isTTY === true;
}

export function colour(text: string, which: Colour, stream: ColourTarget = process.stdout, env: NodeJS.ProcessEnv = process.env): string {
  if (!colourEnabled(stream, env)) return text;
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
