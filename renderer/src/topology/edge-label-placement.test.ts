import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../settings/settings-model.js';
import { edgeLabelLayout, labelWidth, overlaps, placeLabels, type Box } from './edge-label-placement.js';
import { placeNodes } from './graph-layout.js';
import { buildGraph, type GraphModel } from './graph-model.js';
import { serviceRoute, serviceView, statsSnapshot, type EdgeSpec } from './testing/mesh-fixtures.js';

function laidOut(graph: GraphModel) {
  return placeNodes(graph.nodes, graph.edges, new Map());
}

function meshGraph(services: string[], edges: EdgeSpec[]): GraphModel {
  return buildGraph({
    services: services.map((name) => serviceView(name, { v1: [`127.0.0.1:${7000 + services.indexOf(name)}`] })),
    stats: statsSnapshot(edges),
    routes: services.map((name) => serviceRoute(name, ['v1'])),
    faults: [],
    thresholds: DEFAULT_THRESHOLDS,
  });
}

/** Every pair of label boxes that overlap, and every label box that overlaps a node. */
function collisions(graph: GraphModel) {
  const positions = laidOut(graph);
  const boxes = [...edgeLabelLayout(graph, positions)].map(([id, { box }]) => ({ id, box }));
  const nodes = graph.nodes.map((node) => ({ id: node.id, box: { ...(positions.get(node.id) ?? { x: 0, y: 0 }), width: node.width, height: node.height } }));
  const found: string[] = [];
  boxes.forEach((a, i) => {
    for (const b of boxes.slice(i + 1)) if (overlaps(a.box, b.box)) found.push(`${a.id} × ${b.id}`);
    for (const node of nodes) if (overlaps(a.box, node.box)) found.push(`${a.id} × node ${node.id}`);
  });
  return { found, labels: boxes.length };
}

describe('edge label placement', () => {
  it('puts a lone label above the middle of its curve, sized for its text', () => {
    const points = [
      { x: 0, y: 100 },
      { x: 100, y: 100 },
      { x: 100, y: 100 },
      { x: 200, y: 100 },
    ] as const;
    const placed = placeLabels([{ id: 'a', points, text: '2.0 rps · 100%', rps: 2 }], []).get('a');
    expect(placed).toEqual({ x: 100 - labelWidth('2.0 rps · 100%') / 2, y: 100 - 3 - 18, width: labelWidth('2.0 rps · 100%'), height: 18 });
  });

  it('moves a second label on the same line away from the first, and the busier edge keeps the middle', () => {
    const points = [
      { x: 0, y: 100 },
      { x: 300, y: 100 },
      { x: 300, y: 100 },
      { x: 600, y: 100 },
    ] as const;
    const placed = placeLabels(
      [
        { id: 'quiet', points, text: '1 rps', rps: 1 },
        { id: 'busy', points, text: '9 rps', rps: 9 },
      ],
      [],
    );
    const [busy, quiet] = [placed.get('busy') as Box, placed.get('quiet') as Box];
    expect(busy.x + busy.width / 2).toBeCloseTo(300, 0);
    expect(overlaps(busy, quiet)).toBe(false);
  });

  it('leaves out the quieter label rather than draw it over another when no place is free', () => {
    const points = [
      { x: 0, y: 100 },
      { x: 50, y: 100 },
      { x: 50, y: 100 },
      { x: 100, y: 100 },
    ] as const;
    // Two edges on one short line, hemmed in above and below: room for one label only.
    const walls = [
      { x: -200, y: 40, width: 500, height: 38 },
      { x: -200, y: 118, width: 500, height: 40 },
    ];
    const placed = placeLabels(
      [
        { id: 'retired', points, text: '0.0 rps · 100%', rps: 0 },
        { id: 'live', points, text: '1.0 rps · 100%', rps: 1 },
      ],
      walls,
    );
    expect([...placed.keys()]).toEqual(['live']);
  });

  it('keeps clear of a node sitting on the middle of its curve', () => {
    const points = [
      { x: 0, y: 100 },
      { x: 100, y: 100 },
      { x: 100, y: 100 },
      { x: 200, y: 100 },
    ] as const;
    const node = { x: 80, y: 60, width: 40, height: 80 };
    const placed = placeLabels([{ id: 'a', points, text: '2.0 rps', rps: 2 }], [node]).get('a') as Box;
    expect(overlaps(placed, node)).toBe(false);
  });

  it('leaves no two labels overlapping, nor a label on a node, in the demo mesh', () => {
    const graph = meshGraph(
      ['hello', 'world'],
      [
        { caller: 'traffic', service: 'hello', version: 'v1', rps: 1.5 },
        { caller: 'node', service: 'hello', version: 'v1', rps: 5.5 },
        { caller: 'hello', service: 'world', version: 'v1', rps: 7 },
      ],
    );
    expect(collisions(graph)).toEqual({ found: [], labels: 3 });
  });

  it('leaves no two labels overlapping, nor a label on a node, in a 50-service mesh', () => {
    const services = Array.from({ length: 50 }, (_, i) => `svc-${i}`);
    // A tree of calls with some fan-in: each service calls the next two, as a call chain does.
    const edges: EdgeSpec[] = services.flatMap((caller, i) =>
      [services[2 * i + 1], services[2 * i + 2]].flatMap((service) => (service ? [{ caller, service, version: 'v1', rps: 1 + (i % 7) }] : [])),
    );
    edges.push({ caller: 'shell', service: 'svc-0', version: 'v1', rps: 10 });
    const { found, labels } = collisions(meshGraph(services, edges));
    expect(labels).toBe(edges.length);
    expect(found).toEqual([]);
  });

  it('places only the labels of edges reaching into the region it is given', () => {
    const services = Array.from({ length: 30 }, (_, i) => `svc-${i}`);
    const edges: EdgeSpec[] = services.slice(1).map((service, i) => ({ caller: services[i] ?? 'shell', service, version: 'v1', rps: 2 }));
    const graph = meshGraph(services, edges);
    const positions = laidOut(graph);
    const everywhere = edgeLabelLayout(graph, positions);
    expect(everywhere.size).toBe(edges.length);
    // Around the first three services of the chain: their two edges, and the one leaving the third.
    const first = ['svc:svc-0', 'svc:svc-2'].map((id) => positions.get(id) ?? { x: NaN, y: NaN });
    const region: Box = { x: Math.min(...first.map((at) => at.x)), y: -1_000, width: Math.abs((first[1]?.x ?? 0) - (first[0]?.x ?? 0)) + 1, height: 10_000 };
    const near = edgeLabelLayout(graph, positions, undefined, region);
    expect(near.size).toBeGreaterThanOrEqual(2);
    expect(near.size).toBeLessThanOrEqual(4);
    for (const id of near.keys()) expect(everywhere.has(id)).toBe(true);
    expect(near.has('svc-0->svc-1@v1')).toBe(true);
    expect(near.has('svc-20->svc-21@v1')).toBe(false);
  });
});
