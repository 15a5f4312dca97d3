/**
 * The SVG path of a sparkline: points scaled into a small box, with gaps where there was no data
 * (a null success rate means "no requests", which must not be drawn as 0 %). Pure, so the shape is
 * unit-tested without a browser.
 */
export interface SparklineScale {
  width: number;
  height: number;
  /** Fixed bounds (a success rate is 0..1); otherwise from 0 to the largest value. */
  min?: number;
  max?: number;
}

export function sparklinePath(values: readonly (number | null)[], scale: SparklineScale): string {
  if (values.length === 0) return '';
  const numbers = values.filter((value): value is number => value !== null && Number.isFinite(value));
  if (numbers.length === 0) return '';
  const min = scale.min ?? 0;
  const max = Math.max(scale.max ?? Math.max(...numbers), min + Number.EPSILON);
  const step = values.length > 1 ? scale.width / (values.length - 1) : 0;
  const pad = 1; // keeps a 1.5 px stroke inside the box at the extremes
  const y = (value: number) => pad + (scale.height - 2 * pad) * (1 - (Math.min(max, Math.max(min, value)) - min) / (max - min));
  let path = '';
  let drawing = false;
  values.forEach((value, index) => {
    if (value === null || !Number.isFinite(value)) {
      drawing = false;
      return;
    }
    path += `${drawing ? 'L' : 'M'}${round(index * step)} ${round(y(value))}`;
    drawing = true;
  });
  return path;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
