/**
 * BodyCapture keeps the first bytes of a streamed body, copied, and counts them all: one chunk, many
 * chunks, a chunk cut at the limit, chunks past it, a limit of 0, and chunks the stream reuses.
 * Run: npx vitest run main/mesh/telemetry/body-capture.test.ts
 */
import { describe, expect, it } from 'vitest';
import { BodyCapture } from './exchange-capture.js';

function captured(limit: number, chunks: string[]) {
  const capture = new BodyCapture(limit);
  for (const chunk of chunks) capture.push(Buffer.from(chunk));
  const { bytes, size, truncated } = capture.result();
  return { text: Buffer.from(bytes).toString(), size, truncated };
}

describe('BodyCapture', () => {
  it('keeps a body of one chunk whole', () => {
    expect(captured(64, ['{"hello":"world"}'])).toEqual({ text: '{"hello":"world"}', size: 17, truncated: false });
  });

  it('joins the chunks of a body in order', () => {
    expect(captured(64, ['ab', 'cd', 'ef'])).toEqual({ text: 'abcdef', size: 6, truncated: false });
  });

  it('cuts at the limit, inside a chunk or between chunks, and counts every byte', () => {
    expect(captured(5, ['abc', 'def', 'ghi'])).toEqual({ text: 'abcde', size: 9, truncated: true });
    expect(captured(3, ['abc', 'def'])).toEqual({ text: 'abc', size: 6, truncated: true });
    expect(captured(2, ['abcdef'])).toEqual({ text: 'ab', size: 6, truncated: true });
  });

  it('keeps nothing with a limit of 0, and still counts', () => {
    expect(captured(0, ['abc', 'de'])).toEqual({ text: '', size: 5, truncated: true });
  });

  it('copies what it keeps, so a reused chunk buffer does not change it', () => {
    const capture = new BodyCapture(64);
    const reused = Buffer.from('first');
    capture.push(reused);
    reused.write('SECON');
    capture.push(reused);
    reused.write('third');
    expect(Buffer.from(capture.result().bytes).toString()).toBe('firstSECON');
  });
});
