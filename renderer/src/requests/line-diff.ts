/**
 * Differences between two responses, for replay's side-by-side view: bodies line by line (longest
 * common subsequence, after trimming the common head and tail, which is most of it for two
 * versions of one service), headers by name.
 *
 * Bounded: bodies are at most the capture limit, but a line-by-line table of two big bodies that
 * share nothing would still be large, so past MAX_CELLS the middle is shown as all removed and all
 * added rather than computed.
 */
export type LineKind = 'same' | 'removed' | 'added';

export interface DiffLine {
  kind: LineKind;
  text: string;
}

/** One row of a side-by-side view; a side is null where the other has a line it lacks. */
export interface SideBySideRow {
  left: DiffLine | null;
  right: DiffLine | null;
}

const MAX_CELLS = 4_000_000;

export function diffLines(before: string, after: string): DiffLine[] {
  const a = before.split('\n');
  const b = after.split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const middleA = a.slice(head, a.length - tail);
  const middleB = b.slice(head, b.length - tail);
  const same = (lines: string[]) => lines.map((text): DiffLine => ({ kind: 'same', text }));
  return [...same(a.slice(0, head)), ...diffMiddle(middleA, middleB), ...same(a.slice(a.length - tail))];
}

function diffMiddle(a: string[], b: string[]): DiffLine[] {
  if (a.length * b.length > MAX_CELLS) {
    return [...a.map((text): DiffLine => ({ kind: 'removed', text })), ...b.map((text): DiffLine => ({ kind: 'added', text }))];
  }
  // lcs[i][j]: the longest common subsequence of a[i..] and b[j..], in one flat array.
  const width = b.length + 1;
  const lcs = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i * width + j] =
        a[i] === b[j] ? (lcs[(i + 1) * width + j + 1] as number) + 1 : Math.max(lcs[(i + 1) * width + j] as number, lcs[i * width + j + 1] as number);
    }
  }
  const lines: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      lines.push({ kind: 'same', text: a[i] as string });
      i++;
      j++;
    } else if ((lcs[(i + 1) * width + j] as number) >= (lcs[i * width + j + 1] as number)) {
      lines.push({ kind: 'removed', text: a[i++] as string });
    } else {
      lines.push({ kind: 'added', text: b[j++] as string });
    }
  }
  while (i < a.length) lines.push({ kind: 'removed', text: a[i++] as string });
  while (j < b.length) lines.push({ kind: 'added', text: b[j++] as string });
  return lines;
}

/** Pairs removed lines with the added lines that replace them, so changes sit side by side. */
export function sideBySide(lines: readonly DiffLine[]): SideBySideRow[] {
  const rows: SideBySideRow[] = [];
  let index = 0;
  while (index < lines.length) {
    const line = lines[index] as DiffLine;
    if (line.kind === 'same') {
      rows.push({ left: line, right: line });
      index++;
      continue;
    }
    const removed: DiffLine[] = [];
    const added: DiffLine[] = [];
    while (index < lines.length && (lines[index] as DiffLine).kind !== 'same') {
      const change = lines[index++] as DiffLine;
      (change.kind === 'removed' ? removed : added).push(change);
    }
    for (let k = 0; k < Math.max(removed.length, added.length); k++) rows.push({ left: removed[k] ?? null, right: added[k] ?? null });
  }
  return rows;
}

export interface HeaderDiffRow {
  name: string;
  left: string | null;
  right: string | null;
  same: boolean;
}

/** Headers by lower-case name (repeats joined with ", "), in the order they first appear. */
export function diffHeaders(left: readonly (readonly [string, string])[], right: readonly (readonly [string, string])[]): HeaderDiffRow[] {
  const byName = (pairs: readonly (readonly [string, string])[]) => {
    const map = new Map<string, string>();
    for (const [name, value] of pairs) {
      const key = name.toLowerCase();
      const existing = map.get(key);
      map.set(key, existing === undefined ? value : `${existing}, ${value}`);
    }
    return map;
  };
  const a = byName(left);
  const b = byName(right);
  const names = [...new Set([...a.keys(), ...b.keys()])];
  return names.map((name) => {
    const l = a.get(name) ?? null;
    const r = b.get(name) ?? null;
    return { name, left: l, right: r, same: l === r };
  });
}
