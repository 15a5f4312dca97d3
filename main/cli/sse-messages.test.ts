// The SSE splitter gives the same messages however the stream is cut into chunks: at every place a
// chunk boundary can fall (between the two newlines of a blank line included), in single characters,
// and in one piece. Run: npx vitest run main/cli/sse-messages.test.ts
import { describe, expect, it } from 'vitest';
import { parseMessage, SseSplitter, type SseMessage } from './sse-messages.js';

const STREAM =
  'retry: 1000\n\n' +
  'event: push\ndata: {"seq":1,"items":[]}\n\n' +
  ': a comment\n\n' +
  'data: first line\ndata: second line\n\n' +
  'event: push\ndata: {"seq":2,"text":"a: b\\n"}\n\n' +
  'event: push\ndata:\n\n';

const EXPECTED: SseMessage[] = [
  { event: 'push', data: '{"seq":1,"items":[]}' },
  { event: 'message', data: 'first line\nsecond line' },
  { event: 'push', data: '{"seq":2,"text":"a: b\\n"}' },
  { event: 'push', data: '' },
];

function split(chunks: string[]): SseMessage[] {
  const splitter = new SseSplitter();
  return chunks.flatMap((chunk) => splitter.push(chunk));
}

describe('SseSplitter', () => {
  it('splits a stream given in one piece', () => {
    expect(split([STREAM])).toEqual(EXPECTED);
  });

  it('gives the same messages wherever the stream is cut in two or three', () => {
    for (let a = 0; a <= STREAM.length; a++) {
      expect(split([STREAM.slice(0, a), STREAM.slice(a)]), `cut at ${a}`).toEqual(EXPECTED);
      for (let b = a; b <= STREAM.length; b += 7) {
        expect(split([STREAM.slice(0, a), STREAM.slice(a, b), STREAM.slice(b)]), `cut at ${a} and ${b}`).toEqual(EXPECTED);
      }
    }
  });

  it('gives the same messages from one character at a time', () => {
    expect(split([...STREAM])).toEqual(EXPECTED);
  });

  it('holds a message until its blank line arrives', () => {
    const splitter = new SseSplitter();
    expect(splitter.push('event: push\ndata: {"seq":1}\n')).toEqual([]);
    expect(splitter.push('\nevent: push\ndata: {"seq":2}')).toEqual([{ event: 'push', data: '{"seq":1}' }]);
    expect(splitter.push('\n\n')).toEqual([{ event: 'push', data: '{"seq":2}' }]);
  });

  it('keeps a large message whole across many chunks', () => {
    const data = JSON.stringify({ seq: 3, items: Array.from({ length: 2_000 }, (_, id) => ({ kind: 'request', id })) });
    const stream = `event: push\ndata: ${data}\n\n`;
    const chunks = Array.from({ length: Math.ceil(stream.length / 1_000) }, (_, i) => stream.slice(i * 1_000, (i + 1) * 1_000));
    expect(split(chunks)).toEqual([{ event: 'push', data }]);
  });
});

describe('parseMessage', () => {
  it('has no message without data (a comment, a retry)', () => {
    expect(parseMessage(': keep-alive')).toBeNull();
    expect(parseMessage('retry: 1000')).toBeNull();
  });

  it('takes one space after the colon off, and only one', () => {
    expect(parseMessage('data:  two spaces')).toEqual({ event: 'message', data: ' two spaces' });
    expect(parseMessage('data:none')).toEqual({ event: 'message', data: 'none' });
  });

  it('reads CRLF line ends', () => {
    expect(parseMessage('event: push\r\ndata: x\r')).toEqual({ event: 'push', data: 'x' });
  });
});
