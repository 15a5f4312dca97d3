import { sparklinePath } from './sparkline-path.js';

export interface SparklineLine {
  values: readonly (number | null)[];
  /** A class for its colour (e.g. `p99`); the line uses currentColor otherwise. */
  className?: string;
}

/**
 * A small chart of recent values: one line, or several on one scale (p50/p95/p99). `label` is what
 * a screen reader hears instead of the shape, so it should carry the latest value.
 */
export function Sparkline({
  lines,
  label,
  width = 96,
  height = 22,
  min,
  max,
  testId,
}: {
  lines: readonly SparklineLine[];
  label: string;
  width?: number;
  height?: number;
  /** Fixed bounds (0..1 for a success rate); by default 0 to the largest value of any line. */
  min?: number;
  max?: number;
  testId?: string;
}) {
  const all = lines.flatMap((line) => line.values.filter((value): value is number => value !== null && Number.isFinite(value)));
  const scale = { width, height, min: min ?? 0, max: max ?? (all.length > 0 ? Math.max(...all) : 1) };
  return (
    <svg className="sparkline" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label} data-testid={testId}>
      {lines.map((line, index) => (
        <path
          key={index}
          className={line.className}
          d={sparklinePath(line.values, scale)}
          fill="none"
          stroke="currentColor"
          strokeWidth={1.5}
          strokeLinejoin="round"
        />
      ))}
    </svg>
  );
}
