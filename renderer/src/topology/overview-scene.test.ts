import { describe, expect, it } from 'vitest';
import { formatPercent, formatRps } from '../components/format.js';
import { DEFAULT_THRESHOLDS } from '../settings/settings-model.js';
import { edgeWidth } from './edge-style.js';
import { LARGE_MESH_NODES, placeNodes } from './graph-layout.js';
import { buildGraph } from './graph-model.js';
import { nodeAt, OVERVIEW_ZOOM, overviewScene, showsOverview } from './overview-scene.js';
import { serviceRoute, serviceView, statsSnapshot } from './testing/mesh-fixtures.js';

function demo() {
  const graph = buildGraph({
    services: [serviceView('hello', { default: ['127.0.0.1:7001'] }), serviceView('world', { v1: ['127.0.0.1:7002'], v2: ['127.0.0.1:7003'] })],
    stats: statsSnapshot([
      { caller: 'shell', service: 'hello', version: 'default', rps: 20 },
      { caller: 'hello', service: 'world', version: 'v1', rps: 2, successRate: 0.9 },
    ]),
    routes: [serviceRoute('world', ['v1', 'v2'])],
    faults: [],
    thresholds: DEFAULT_THRESHOLDS,
  });
  return { graph, positions: placeNodes(graph.nodes, graph.edges, new Map()) };
}

describe('overview scene', () => {
  it('draws large meshes only, and only while zoomed out too far to read', () => {
    expect(showsOverview(LARGE_MESH_NODES - 1, 0.05)).toBe(false);
    expect(showsOverview(LARGE_MESH_NODES, 0.05)).toBe(true);
    expect(showsOverview(LARGE_MESH_NODES, OVERVIEW_ZOOM - 0.01)).toBe(true);
    expect(showsOverview(LARGE_MESH_NODES, OVERVIEW_ZOOM)).toBe(false);
  });

  it('has every placed node at its position and size, with its health and traffic, and every edge with its look', () => {
    const { graph, positions } = demo();
    const scene = overviewScene(graph, positions);
    expect(scene.nodes.map((node) => node.id).sort()).toEqual(graph.nodes.map((node) => node.id).sort());
    const world = scene.nodes.find((node) => node.id === 'svc:world');
    const model = graph.nodes.find((node) => node.id === 'svc:world');
    if (model?.data.kind !== 'service') throw new Error('no world service');
    expect(world).toMatchObject({ ...positions.get('svc:world'), width: model.width, height: model.height, label: 'world', health: model.data.health });
    // The node's own line, as the zoomed-in node shows it.
    expect(world?.detail).toBe(`${formatRps(model.data.rps)} · ${formatPercent(model.data.successRate)}`);
    expect(world?.detail).toMatch(/^2\.0 rps · \d+(\.\d)?%$/);
    expect(scene.nodes.find((node) => node.id === 'caller:shell')).toMatchObject({ health: null, detail: 'caller · 20 rps' });
    expect(scene.edges).toHaveLength(graph.edges.length);
    const widths = scene.edges.map((edge) => edge.width).sort((a, b) => a - b);
    expect(widths).toEqual([edgeWidth(2), edgeWidth(20)]);
    expect(scene.edges.find((edge) => edge.width === edgeWidth(2))?.health).toBe('bad');
  });

  it('leaves out what the layout has not placed yet', () => {
    const { graph } = demo();
    const onlyHello = new Map([['svc:hello', { x: 0, y: 0 }]]);
    const scene = overviewScene(graph, onlyHello);
    expect(scene.nodes.map((node) => node.id)).toEqual(['svc:hello']);
    expect(scene.edges).toEqual([]);
  });

  it('finds the node under a point, with slack around its box, and nothing between nodes', () => {
    const { graph, positions } = demo();
    const scene = overviewScene(graph, positions);
    const world = scene.nodes.find((node) => node.id === 'svc:world');
    if (!world) throw new Error('no world');
    expect(nodeAt(scene, { x: world.x + world.width / 2, y: world.y + world.height / 2 })?.id).toBe('svc:world');
    const justLeft = { x: world.x - 3, y: world.y + 5 };
    expect(nodeAt(scene, justLeft)).toBeNull();
    expect(nodeAt(scene, justLeft, 4)?.id).toBe('svc:world');
    expect(nodeAt(scene, { x: -10_000, y: -10_000 }, 4)).toBeNull();
  });
});
