import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../settings/settings-model.js';
import { buildGraph } from './graph-model.js';
import { placeNodes } from './graph-layout.js';
import { EMPTY_LAYOUT, positionsToKeep, rememberPlacements, type KeptLayout } from './stable-positions.js';
import { serviceView, statsSnapshot } from './testing/mesh-fixtures.js';

const services = [
  serviceView('hello', { default: ['127.0.0.1:7001'] }),
  serviceView('world', { v1: ['127.0.0.1:7002'] }),
  serviceView('db', { v1: ['127.0.0.1:7004'] }),
];
const graphWith = (edges: Parameters<typeof statsSnapshot>[0]) =>
  buildGraph({ services, stats: statsSnapshot(edges), routes: null, faults: null, thresholds: DEFAULT_THRESHOLDS });

function step(layout: KeptLayout, graph: ReturnType<typeof graphWith>): KeptLayout {
  const positions = placeNodes(graph.nodes, graph.edges, positionsToKeep(layout, graph));
  return rememberPlacements(layout, graph, positions);
}

describe('stable positions', () => {
  it('places again, once, the nodes that were placed before they had any edge', () => {
    // The dashboard opened before any traffic: three isolated services, stacked in one column.
    const blind = step(EMPTY_LAYOUT, graphWith([]));
    expect(blind.placedBlind).toEqual(new Set(['svc:hello', 'svc:world', 'svc:db']));

    // Traffic appears: hello → world. Both are placed again, caller left of callee; db stays.
    const traffic = graphWith([{ caller: 'hello', service: 'world', version: 'v1', rps: 1 }]);
    const placed = step(blind, traffic);
    expect(placed.positions.get('svc:db')).toBe(blind.positions.get('svc:db'));
    expect(placed.positions.get('svc:hello')?.x).toBeLessThan(placed.positions.get('svc:world')?.x ?? -Infinity);
    expect(placed.placedBlind).toEqual(new Set(['svc:db']));

    // From then on they keep their places.
    const again = step(
      placed,
      graphWith([
        { caller: 'hello', service: 'world', version: 'v1', rps: 3 },
        { caller: 'world', service: 'db', version: 'v1', rps: 1 },
      ]),
    );
    expect(again.positions.get('svc:hello')).toBe(placed.positions.get('svc:hello'));
    expect(again.positions.get('svc:world')).toBe(placed.positions.get('svc:world'));
    expect(again.positions.get('svc:db')).not.toBe(placed.positions.get('svc:db'));
  });

  it('never moves a node the user moved', () => {
    const blind = step(EMPTY_LAYOUT, graphWith([]));
    const moved: KeptLayout = { ...blind, positions: new Map(blind.positions).set('svc:world', { x: 999, y: 9 }), pinned: new Set(['svc:world']) };
    const placed = step(moved, graphWith([{ caller: 'hello', service: 'world', version: 'v1', rps: 1 }]));
    expect(placed.positions.get('svc:world')).toEqual({ x: 999, y: 9 });
  });
});
