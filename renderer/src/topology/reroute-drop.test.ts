import { describe, expect, it } from 'vitest';
import { decideDrop } from './reroute-drop.js';

const nameOf = (id: string) => id.replace(/^(svc|caller):/, '');
const toWorldV1 = { target: 'svc:world', service: 'world', version: 'v1' };

describe('dropping the head of an edge', () => {
  it('onto another version of the same service is one reroute to that version', () => {
    expect(decideDrop(toWorldV1, { target: 'svc:world', targetHandle: 'v:v2' }, nameOf)).toEqual({ kind: 'reroute', service: 'world', version: 'v2' });
  });

  it('onto the version it already goes to, or nowhere, changes nothing', () => {
    expect(decideDrop(toWorldV1, { target: 'svc:world', targetHandle: 'v:v1' }, nameOf)).toEqual({ kind: 'unchanged' });
    expect(decideDrop(toWorldV1, { target: null, targetHandle: null }, nameOf)).toEqual({ kind: 'unchanged' });
  });

  it('onto another service is refused with a reason', () => {
    expect(decideDrop(toWorldV1, { target: 'svc:hello', targetHandle: 'v:default' }, nameOf)).toEqual({
      kind: 'refused',
      message: "world's traffic can only move to another version of world, not to hello.",
    });
  });

  it('onto the service but not a version is refused', () => {
    expect(decideDrop(toWorldV1, { target: 'svc:world', targetHandle: 'in' }, nameOf)).toMatchObject({ kind: 'refused' });
  });

  it('moves traffic that had no version yet onto a version', () => {
    expect(decideDrop({ ...toWorldV1, version: null }, { target: 'svc:world', targetHandle: 'v:v1' }, nameOf)).toEqual({
      kind: 'reroute',
      service: 'world',
      version: 'v1',
    });
  });
});
