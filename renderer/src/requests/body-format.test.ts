/**
 * Bodies as the detail pane shows them: JSON pretty-printed, text as is, binary as a hex dump, and
 * a notice where capture cut them. Run: `npx vitest run renderer/src/requests/body-format.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import { bodyView, hexDump } from './body-format.js';

describe('bodyView', () => {
  it('pretty-prints JSON, by content type or by its look', () => {
    expect(bodyView({ encoding: 'utf8', data: '{"a":[1,2]}', size: 11, truncated: false }, 'application/problem+json')).toEqual({
      kind: 'json',
      text: '{\n  "a": [\n    1,\n    2\n  ]\n}',
      note: null,
    });
    expect(bodyView({ encoding: 'utf8', data: '[1]', size: 3, truncated: false }, undefined)).toMatchObject({ kind: 'json' });
  });

  it('shows text, and JSON that capture cut, as text with a notice', () => {
    expect(bodyView({ encoding: 'utf8', data: 'world v1\n', size: 9, truncated: false }, 'text/plain')).toEqual({
      kind: 'text',
      text: 'world v1\n',
      note: null,
    });
    expect(bodyView({ encoding: 'utf8', data: '{"a":', size: 70_000, truncated: true }, 'application/json')).toEqual({
      kind: 'text',
      text: '{"a":',
      note: 'cut at the capture limit: 5 of 70000 bytes captured',
    });
  });

  it('dumps binary as hex', () => {
    const view = bodyView({ encoding: 'base64', data: btoa('\u0000\u0001Hello, binary world!\u00ff'), size: 22, truncated: false }, 'application/octet-stream');
    expect(view).toEqual({
      kind: 'hex',
      text: [
        '00000000  00 01 48 65 6c 6c 6f 2c  20 62 69 6e 61 72 79 20  |..Hello, binary |',
        '00000010  77 6f 72 6c 64 21 ff                              |world!.|',
      ].join('\n'),
      note: null,
    });
  });

  it('says when there is nothing to show', () => {
    expect(bodyView(null, undefined)).toEqual({ kind: 'none' });
    expect(bodyView({ encoding: 'utf8', data: '', size: 0, truncated: false }, undefined)).toEqual({ kind: 'none' });
  });

  it('dumps at most 16 KiB, and says so', () => {
    const big = new Uint8Array(20_000);
    const view = bodyView({ encoding: 'base64', data: btoa(String.fromCharCode(...big.subarray(0, 20_000))), size: 20_000, truncated: false }, undefined);
    expect(view.kind === 'hex' && view.text.split('\n')).toHaveLength(1024);
    expect(view).toMatchObject({ note: 'the dump shows the first 16384 bytes' });
    expect(hexDump(new Uint8Array())).toBe('');
  });
});
