// compareAnswers: status, headers and bodies (JSON by path, text by line, anything else by hash),
// decoded from their content-encoding, and truncated captures. Pure: no server needed.
// Run with `npx vitest run main/mesh/shadow/diff/compare-answers.test.ts`.
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Answer } from './answer.js';
import { compareAnswers } from './compare-answers.js';
import { MAX_JSON_DIFFERENCES, MAX_REPEATS_PER_PATTERN } from './json-diff.js';
import { MAX_LINE_DIFFERENCES } from './line-diff.js';

const NONE: ReadonlySet<string> = new Set();

function answer(fields: Partial<Answer> = {}): Answer {
  return { status: 200, error: null, headers: [], body: null, bodyTruncated: false, ...fields };
}

function json(value: unknown, headers: [string, string][] = [['content-type', 'application/json']]): Answer {
  return answer({ headers, body: Buffer.from(JSON.stringify(value)) });
}

/** The body's differences only, for tests whose sides also differ in headers. */
function bodyDifferences(primary: Answer, shadow: Answer) {
  return compareAnswers(primary, shadow, NONE).filter((difference) => difference.field.startsWith('body'));
}

function text(body: string): Answer {
  return answer({ headers: [['content-type', 'text/plain']], body: Buffer.from(body) });
}

describe('status', () => {
  it('reports a different status', () => {
    expect(compareAnswers(answer({ status: 200 }), answer({ status: 404 }), NONE)).toEqual([
      { field: 'status', kind: 'changed', primary: '200', shadow: '404' },
    ]);
  });

  it('reports an error against an answer with the error text, and nothing else', () => {
    const failed = answer({ status: 0, error: 'connect ECONNREFUSED 127.0.0.1:5002' });
    expect(compareAnswers(json({ a: 1 }), failed, NONE)).toEqual([
      { field: 'status', kind: 'changed', primary: '200', shadow: 'connect ECONNREFUSED 127.0.0.1:5002' },
    ]);
    expect(compareAnswers(failed, json({ a: 1 }), NONE)[0]?.primary).toBe('connect ECONNREFUSED 127.0.0.1:5002');
  });

  it('takes two failures as the same', () => {
    expect(compareAnswers(answer({ status: 0, error: 'timeout' }), answer({ status: 0, error: 'reset' }), NONE)).toEqual([]);
  });
});

describe('headers', () => {
  it('reports changed, added and removed headers by lower-case name', () => {
    const primary = answer({
      headers: [
        ['Content-Type', 'text/plain'],
        ['X-Old', '1'],
        ['Cache-Control', 'no-store'],
      ],
    });
    const shadow = answer({
      headers: [
        ['content-type', 'text/html'],
        ['x-new', '2'],
        ['cache-control', 'no-store'],
      ],
    });
    expect(compareAnswers(primary, shadow, NONE)).toEqual([
      { field: 'header content-type', kind: 'changed', primary: 'text/plain', shadow: 'text/html' },
      { field: 'header x-old', kind: 'removed', primary: '1', shadow: null },
      { field: 'header x-new', kind: 'added', primary: null, shadow: '2' },
    ]);
  });

  it('leaves out the default ignored headers and the rule’s own, in any case', () => {
    const primary = answer({
      headers: [
        ['Date', 'Mon'],
        ['ETag', '"a"'],
        ['X-Request-Id', '1'],
        ['X-Build', 'a'],
      ],
    });
    const shadow = answer({
      headers: [
        ['date', 'Tue'],
        ['etag', '"b"'],
        ['Server', 'v2'],
        ['x-build', 'b'],
      ],
    });
    expect(compareAnswers(primary, shadow, new Set(['x-build']))).toEqual([]);
    expect(compareAnswers(primary, shadow, NONE)).toEqual([{ field: 'header x-build', kind: 'changed', primary: 'a', shadow: 'b' }]);
  });

  it('compares a repeated header as its values in order', () => {
    const primary = answer({
      headers: [
        ['set-cookie', 'a=1'],
        ['set-cookie', 'b=2'],
      ],
    });
    const shadow = answer({
      headers: [
        ['Set-Cookie', 'a=1'],
        ['Set-Cookie', 'b=3'],
      ],
    });
    expect(compareAnswers(primary, shadow, NONE)).toEqual([{ field: 'header set-cookie', kind: 'changed', primary: 'a=1, b=2', shadow: 'a=1, b=3' }]);
  });
});

describe('JSON bodies', () => {
  it('reports a changed field on its path, values rendered as JSON', () => {
    expect(compareAnswers(json({ user: { name: 'Ann', id: 1 } }), json({ user: { name: 'Bob', id: 1 } }), NONE)).toEqual([
      { field: 'body.user.name', kind: 'changed', primary: '"Ann"', shadow: '"Bob"' },
    ]);
  });

  it('takes the same structure in another key order and spacing as equal', () => {
    const shadow = answer({ headers: [['content-type', 'application/json']], body: Buffer.from('{ "b": [1, 2],\n "a": 1 }') });
    expect(compareAnswers(json({ a: 1, b: [1, 2] }), shadow, NONE)).toEqual([]);
  });

  it('reports added and removed fields, also those named like Object.prototype members', () => {
    const differences = compareAnswers(json({ a: 1, constructor: 'x', gone: true }), json({ a: 1, toString: 'y', 'odd key': 2 }), NONE);
    expect(differences).toEqual([
      { field: 'body.constructor', kind: 'removed', primary: '"x"', shadow: null },
      { field: 'body.gone', kind: 'removed', primary: 'true', shadow: null },
      { field: 'body.toString', kind: 'added', primary: null, shadow: '"y"' },
      { field: 'body["odd key"]', kind: 'added', primary: null, shadow: '2' },
    ]);
  });

  it('reports array elements by index, and extra elements as added or removed', () => {
    const primary = json({ items: [{ id: 1 }, { id: 2 }, { id: 3 }] });
    expect(compareAnswers(primary, json({ items: [{ id: 1 }, { id: 2 }, { id: 4 }, { id: 5 }] }), NONE)).toEqual([
      { field: 'body.items[2].id', kind: 'changed', primary: '3', shadow: '4' },
      { field: 'body.items[3]', kind: 'added', primary: null, shadow: '{"id":5}' },
    ]);
    expect(compareAnswers(primary, json({ items: [{ id: 1 }] }), NONE).map((d) => [d.field, d.kind])).toEqual([
      ['body.items[1]', 'removed'],
      ['body.items[2]', 'removed'],
    ]);
  });

  it('reports `body` when the top-level types differ, and a type change inside on its path', () => {
    expect(compareAnswers(json({ a: 1 }), json([1]), NONE)).toEqual([{ field: 'body', kind: 'changed', primary: '{"a":1}', shadow: '[1]' }]);
    expect(compareAnswers(json({ a: { b: 1 } }), json({ a: [1] }), NONE)).toEqual([{ field: 'body.a', kind: 'changed', primary: '{"b":1}', shadow: '[1]' }]);
  });

  it('parses a body that starts like JSON whatever its content-type', () => {
    const differences = bodyDifferences(json({ a: 1 }, [['content-type', 'text/plain']]), json({ a: 2 }, []));
    expect(differences.map((d) => d.field)).toEqual(['body.a']);
  });

  it('reports `body` when only one side is JSON', () => {
    expect(bodyDifferences(json({ a: 1 }), text('<html>oops</html>'))).toEqual([
      { field: 'body', kind: 'changed', primary: '{"a":1}', shadow: '<html>oops</html>' },
    ]);
  });

  it('cuts long values with …', () => {
    const [difference] = compareAnswers(json({ a: 'x'.repeat(500) }), json({ a: 'y'.repeat(500) }), NONE);
    expect(difference?.primary).toHaveLength(120);
    expect(difference?.primary?.endsWith('…')).toBe(true);
  });

  it('lists a field repeated along an array a few times, then once as its pattern', () => {
    const items = (ts: number) => Array.from({ length: 30 }, (_, index) => ({ id: index, ts: ts + index }));
    const differences = compareAnswers(json({ items: items(1000) }), json({ items: items(2000) }), NONE);
    expect(differences.map((d) => d.field)).toEqual([
      ...Array.from({ length: MAX_REPEATS_PER_PATTERN }, (_, index) => `body.items[${index}].ts`),
      'body.items[*].ts',
    ]);
    expect(differences.at(-1)?.primary).toBe(`… ${30 - MAX_REPEATS_PER_PATTERN} more like this`);
  });

  it('counts the differences past the cap in one `body` entry', () => {
    const wide = (value: number) => Object.fromEntries(Array.from({ length: MAX_JSON_DIFFERENCES + 10 }, (_, index) => [`f${index}`, value]));
    const differences = compareAnswers(json(wide(1)), json(wide(2)), NONE);
    expect(differences).toHaveLength(MAX_JSON_DIFFERENCES + 1);
    expect(differences.at(-1)).toEqual({ field: 'body', kind: 'changed', primary: '… and 10 more fields', shadow: '… and 10 more fields' });
  });

  it('compares very deep nesting without overflowing the stack', () => {
    const deep = (leaf: number) => answer({ body: Buffer.from('['.repeat(20_000) + String(leaf) + ']'.repeat(20_000)) });
    const differences = compareAnswers(deep(1), deep(2), NONE);
    expect(differences).toHaveLength(1);
    expect(differences[0]?.field.startsWith('body[0][0]')).toBe(true);
  });
});

describe('text and binary bodies', () => {
  it('reports text by line', () => {
    expect(compareAnswers(text('one\ntwo\nthree'), text('one\nTWO\nthree\nfour'), NONE)).toEqual([
      { field: 'body line 2', kind: 'changed', primary: 'two', shadow: 'TWO' },
      { field: 'body line 4', kind: 'added', primary: null, shadow: 'four' },
    ]);
  });

  it('lists at most 20 line differences, then counts the rest', () => {
    const lines = (word: string) => Array.from({ length: 50 }, (_, index) => `${word} ${index}`).join('\n');
    const differences = compareAnswers(text(lines('a')), text(lines('b')), NONE);
    expect(differences).toHaveLength(MAX_LINE_DIFFERENCES + 1);
    expect(differences.at(-1)).toEqual({ field: 'body', kind: 'changed', primary: '… and 30 more lines', shadow: '… and 30 more lines' });
  });

  it('compares binary bodies by hash', () => {
    const primary = answer({ body: new Uint8Array([0xff, 0xfe, 0x00, 1]) });
    const shadow = answer({ body: new Uint8Array([0xff, 0xfe, 0x00, 2]) });
    const differences = compareAnswers(primary, shadow, NONE);
    expect(differences).toHaveLength(1);
    expect(differences[0]).toMatchObject({ field: 'body', kind: 'changed' });
    expect(differences[0]?.primary).toMatch(/^sha256:[0-9a-f]{16}… \(4 bytes\)$/);
    expect(differences[0]?.primary).not.toBe(differences[0]?.shadow);
    expect(compareAnswers(primary, answer({ body: new Uint8Array([0xff, 0xfe, 0x00, 1]) }), NONE)).toEqual([]);
  });

  it('reports a body only one side has as added or removed', () => {
    expect(bodyDifferences(answer(), text('hello'))).toEqual([{ field: 'body line 1', kind: 'changed', primary: '', shadow: 'hello' }]);
    expect(bodyDifferences(json({ a: 1 }), answer())).toEqual([{ field: 'body', kind: 'removed', primary: '{"a":1}', shadow: null }]);
  });
});

describe('content-encoding', () => {
  const value = { user: { name: 'Ann' }, items: [1, 2, 3] };
  const encoded = (coding: string, bytes: Uint8Array): Answer =>
    answer({
      headers: [
        ['content-type', 'application/json'],
        ['Content-Encoding', coding],
      ],
      body: bytes,
    });
  const plain = Buffer.from(JSON.stringify(value));

  it('decodes gzip, deflate and br before comparing (a change of encoding is a header difference)', () => {
    expect(compareAnswers(encoded('gzip', gzipSync(plain)), json(value), NONE)).toEqual([
      { field: 'header content-encoding', kind: 'removed', primary: 'gzip', shadow: null },
    ]);
    expect(bodyDifferences(encoded('deflate', deflateSync(plain)), encoded('br', brotliCompressSync(plain)))).toEqual([]);
    const changed = Buffer.from(JSON.stringify({ ...value, user: { name: 'Bob' } }));
    expect(compareAnswers(encoded('gzip', gzipSync(plain)), encoded('gzip', gzipSync(changed)), NONE)).toEqual([
      { field: 'body.user.name', kind: 'changed', primary: '"Ann"', shadow: '"Bob"' },
    ]);
  });

  it('compares the raw bytes when decoding fails', () => {
    const differences = compareAnswers(encoded('gzip', Buffer.from('not gzip at all')), encoded('gzip', Buffer.from('not gzip either')), NONE);
    expect(differences.map((d) => d.field)).toEqual(['body line 1']);
  });
});

describe('truncated bodies', () => {
  const captured = (bytes: string, truncated: boolean) => answer({ body: Buffer.from(bytes), bodyTruncated: truncated });

  it('compares only the captured bytes, and says so', () => {
    const differences = compareAnswers(captured('{"a":1,"b":', true), captured('{"a":2,"b":', true), NONE);
    expect(differences).toHaveLength(1);
    expect(differences[0]?.field).toBe('body');
    expect(differences[0]?.primary).toMatch(/^first 11 bytes differ: sha256:/);
    expect(compareAnswers(captured('{"a":1,"b":', true), captured('{"a":1,"b":', true), NONE)).toEqual([]);
  });

  it('knows a whole body shorter than the other side’s captured part differs', () => {
    const differences = compareAnswers(captured('{"a":1,"b":', true), captured('{"a":1}', false), NONE);
    expect(differences[0]?.primary).toMatch(/^bodies differ in length \(first 7 bytes compared\)/);
  });
});
