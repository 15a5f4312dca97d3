/**
 * Replay's form: only what the user changed goes to the mesh, headers are edited as lines, and
 * mistakes are named. Run: `npx vitest run renderer/src/requests/replay-edit.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import { MASKED_VALUE } from '../../../shared/exchange.js';
import { replayInputSchema } from '../../../shared/replay.js';
import { exchange } from '../../../shared/testing/exchange-fixture.js';
import { initialEdits, replayInput, textToHeaders } from './replay-edit.js';

/** A POST with a JSON body and a masked header, as the log returns it: what the form starts from. */
const original = exchange({
  id: 41,
  version: 'v1',
  method: 'POST',
  path: '/greet',
  requestHeaders: [
    ['content-type', 'application/json'],
    ['authorization', MASKED_VALUE],
  ],
  requestBody: { encoding: 'utf8', data: '{"a":1}', size: 7, truncated: false },
});

describe('replayInput', () => {
  it('sends only the id for an unedited replay, and the version when one is picked', () => {
    const edits = initialEdits(original);
    expect(replayInput(original, edits)).toEqual({ input: { id: 41 }, errors: [] });
    expect(replayInput(original, { ...edits, version: 'v2' }).input).toEqual({ id: 41, version: 'v2' });
  });

  it('sends every edited part, in the shape the replay operation takes', () => {
    const edits = {
      ...initialEdits(original),
      method: 'put',
      path: '/greet?x=1',
      headersText: 'content-type: text/plain\nauthorization: [masked]\nx-new: 1',
      bodyText: 'hi',
    };
    const { input, errors } = replayInput(original, edits);
    expect(errors).toEqual([]);
    expect(input).toEqual({
      id: 41,
      method: 'PUT',
      path: '/greet?x=1',
      headers: [
        ['content-type', 'text/plain'],
        ['authorization', '[masked]'],
        ['x-new', '1'],
      ],
      body: { encoding: 'utf8', data: 'hi' },
    });
    expect(replayInputSchema.safeParse(input).success).toBe(true);
  });

  it('names mistakes in the path and headers', () => {
    const { errors } = replayInput(original, { ...initialEdits(original), path: 'greet', headersText: 'no colon here\nbad name: 1' });
    expect(errors).toEqual(['the path starts with /', 'line 1: write a header as Name: value', 'line 2: write a header as Name: value']);
  });

  it('leaves a binary body out of the form', () => {
    expect(initialEdits({ ...original, requestBody: { encoding: 'base64', data: 'AA==', size: 1, truncated: false } }).bodyText).toBeNull();
    expect(textToHeaders('a: b:c\n\n')).toEqual({ headers: [['a', 'b:c']], errors: [] });
  });
});
