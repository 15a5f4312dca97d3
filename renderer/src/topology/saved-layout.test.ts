import { describe, expect, it } from 'vitest';
import { MAX_SAVED_NODES, parseSavedLayout, serializeLayout } from './saved-layout.js';
import { EMPTY_LAYOUT, type KeptLayout } from './stable-positions.js';

const layout: KeptLayout = {
  positions: new Map([
    ['svc:hello', { x: 20, y: 40 }],
    ['svc:world', { x: 300.4, y: -12.6 }],
    ['caller:shell', { x: -200, y: 0 }],
  ]),
  generation: 7,
  pinned: new Set(['svc:world']),
  placedBlind: new Set(['caller:shell']),
};

describe('saved layout', () => {
  it('comes back with every place, the nodes the user moved and those placed blind, fitted as a fresh layout', () => {
    const restored = parseSavedLayout(serializeLayout(layout));
    expect(restored?.positions).toEqual(layout.positions);
    expect(restored?.pinned).toEqual(new Set(['svc:world']));
    expect(restored?.placedBlind).toEqual(new Set(['caller:shell']));
    // Generation 1, not the page's count: the view follows it as the first layout of a page.
    expect(restored?.generation).toBe(1);
  });

  it('ignores what does not fit: nothing stored, not JSON, another version, wrong shapes, no nodes', () => {
    expect(parseSavedLayout(null)).toBeNull();
    expect(parseSavedLayout('{not json')).toBeNull();
    expect(parseSavedLayout(JSON.stringify({ version: 2, nodes: [['svc:a', 1, 2, 0]] }))).toBeNull();
    expect(parseSavedLayout(JSON.stringify({ version: 1, nodes: [['svc:a', 'left', 2, 0]] }))).toBeNull();
    expect(parseSavedLayout(JSON.stringify({ version: 1, nodes: [['svc:a', 1, 2]] }))).toBeNull();
    expect(parseSavedLayout(serializeLayout(EMPTY_LAYOUT))).toBeNull();
  });

  it(`keeps the ${MAX_SAVED_NODES} most recently placed nodes of a larger layout`, () => {
    const many: KeptLayout = {
      ...EMPTY_LAYOUT,
      positions: new Map(Array.from({ length: MAX_SAVED_NODES + 5 }, (_, i) => [`svc:s${i}`, { x: i, y: 0 }] as const)),
    };
    const restored = parseSavedLayout(serializeLayout(many));
    expect(restored?.positions.size).toBe(MAX_SAVED_NODES);
    expect(restored?.positions.has('svc:s4')).toBe(false);
    expect(restored?.positions.get(`svc:s${MAX_SAVED_NODES + 4}`)).toEqual({ x: MAX_SAVED_NODES + 4, y: 0 });
  });
});
