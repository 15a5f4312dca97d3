/**
 * Replay's comparison: line differences of two bodies, paired side by side, and headers compared
 * by name. Run: `npx vitest run renderer/src/requests/line-diff.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import { diffHeaders, diffLines, sideBySide } from './line-diff.js';

describe('diffLines', () => {
  it('finds the one line that changed between v1 and v2', () => {
    expect(diffLines('world v1\n', 'world v2\n')).toEqual([
      { kind: 'removed', text: 'world v1' },
      { kind: 'added', text: 'world v2' },
      { kind: 'same', text: '' },
    ]);
  });

  it('keeps common lines around insertions and deletions', () => {
    const lines = diffLines(['a', 'b', 'c', 'd', 'e'].join('\n'), ['a', 'c', 'x', 'd', 'e', 'f'].join('\n'));
    expect(lines.map((line) => `${line.kind[0]}${line.text}`)).toEqual(['sa', 'rb', 'sc', 'ax', 'sd', 'se', 'af']);
  });

  it('gives identical texts as all the same', () => {
    expect(diffLines('a\nb', 'a\nb').every((line) => line.kind === 'same')).toBe(true);
  });

  it('does not build a huge table for two large bodies that share nothing', () => {
    const a = Array.from({ length: 3_000 }, (_, i) => `a${i}`).join('\n');
    const b = Array.from({ length: 3_000 }, (_, i) => `b${i}`).join('\n');
    const lines = diffLines(a, b);
    expect(lines).toHaveLength(6_000);
    expect(lines.filter((line) => line.kind === 'removed')).toHaveLength(3_000);
  });
});

describe('sideBySide', () => {
  it('pairs replaced lines and leaves a gap where one side has more', () => {
    const rows = sideBySide(diffLines('a\nb\nc', 'a\nB\nB2\nc'));
    expect(rows.map((row) => [row.left?.text ?? null, row.right?.text ?? null])).toEqual([
      ['a', 'a'],
      ['b', 'B'],
      [null, 'B2'],
      ['c', 'c'],
    ]);
  });
});

describe('diffHeaders', () => {
  it('compares by name without case, joining repeats', () => {
    expect(
      diffHeaders(
        [
          ['X-World-Version', 'v1'],
          ['set-cookie', 'a=1'],
          ['set-cookie', 'b=2'],
          ['date', 'x'],
        ],
        [
          ['x-world-version', 'v2'],
          ['Set-Cookie', 'a=1, b=2'],
          ['x-new', '1'],
        ],
      ),
    ).toEqual([
      { name: 'x-world-version', left: 'v1', right: 'v2', same: false },
      { name: 'set-cookie', left: 'a=1, b=2', right: 'a=1, b=2', same: true },
      { name: 'date', left: 'x', right: null, same: false },
      { name: 'x-new', left: null, right: '1', same: false },
    ]);
  });
});
