/**
 * Text bodies compared line by line, by position: `body line N` (1-based). Positional rather than
 * a longest-common-subsequence diff because the field must name the same place in every pair of an
 * endpoint for noise to be learnt by it; the side-by-side view shows the whole text anyway.
 */
import type { RawDifference } from './answer.js';
import { cut } from './render.js';

/** Line differences listed; the rest are counted in one `body` entry. */
export const MAX_LINE_DIFFERENCES = 20;

export function diffLines(primary: string, shadow: string): RawDifference[] {
  const primaryLines = primary.split(/\r?\n/);
  const shadowLines = shadow.split(/\r?\n/);
  const differences: RawDifference[] = [];
  let more = 0;
  const longest = Math.max(primaryLines.length, shadowLines.length);
  for (let index = 0; index < longest; index++) {
    const before = primaryLines[index];
    const after = shadowLines[index];
    if (before === after) continue;
    if (differences.length >= MAX_LINE_DIFFERENCES) {
      more++;
      continue;
    }
    const kind = before === undefined ? 'added' : after === undefined ? 'removed' : 'changed';
    differences.push({ field: `body line ${index + 1}`, kind, primary: render(before), shadow: render(after) });
  }
  if (more > 0) {
    const text = `… and ${more} more lines`;
    differences.push({ field: 'body', kind: 'changed', primary: text, shadow: text });
  }
  return differences;
}

function render(line: string | undefined): string | null {
  return line === undefined ? null : cut(line);
}
