// The colour decision itself: CLI tests run with stdout piped, where colour is off anyway, so they
// cannot tell whether NO_COLOR is honoured. Here the stream and the environment are given directly.
import { describe, expect, it } from 'vitest';
import { colour, colourEnabled } from './output.js';

const terminal = { isTTY: true };
const pipe = { isTTY: false };

describe('colour', () => {
  it('is on for a terminal when NO_COLOR is not set', () => {
    expect(colourEnabled(terminal, {})).toBe(true);
    expect(colour('503', 'red', terminal, {})).toBe('\u001b[31m503\u001b[39m');
  });

  it('is off for a terminal when NO_COLOR has any non-empty value', () => {
    for (const value of ['1', 'true', '0', 'no']) {
      expect(colourEnabled(terminal, { NO_COLOR: value })).toBe(false);
      expect(colour('503', 'red', terminal, { NO_COLOR: value })).toBe('503');
    }
  });

  it('treats an empty NO_COLOR as not set, as no-color.org says', () => {
    expect(colourEnabled(terminal, { NO_COLOR: '' })).toBe(true);
  });

  it('is off when the stream is not a terminal (a pipe or a file), whatever NO_COLOR says', () => {
    expect(colourEnabled(pipe, {})).toBe(false);
    expect(colourEnabled({}, {})).toBe(false);
    expect(colour('200', 'green', pipe, {})).toBe('200');
  });
});
