import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../settings/settings-model.js';
import { placeNodes } from './graph-layout.js';
import { buildGraph, type GraphModel } from './graph-model.js';
import { edgeFocus, focusKey, nodesToFit, serviceFocus, type Box } from './panel-focus.js';
import { serviceRoute, serviceView, statsSnapshot } from './testing/mesh-fixtures.js';

/** The visual fixture's shape: shell → web → orders → payments and inventory, web → inventory too. */
function shopGraph(): GraphModel {
  const services = ['web', 'orders', 'payments', 'inventory'];
  return buildGraph({
    services: services.map((name, index) => serviceView(name, { v1: [`127.0.0.1:${7000 + index}`] })),
    stats: statsSnapshot([
      { caller: 'shell', service: 'web', version: 'v1', rps: 13 },
      { caller: 'web', service: 'orders', version: 'v1', rps: 9 },
      { caller: 'orders', service: 'payments', version: 'v1', rps: 5 },
      { caller: 'orders', service: 'inventory', version: 'v1', rps: 3 },
      { caller: 'web', service: 'inventory', version: 'v1', rps: 4 },
    ]),
    routes: services.map((name) => serviceRoute(name, ['v1'])),
    faults: [],
    thresholds: DEFAULT_THRESHOLDS,
  });
}

function boxesOf(graph: GraphModel): (id: string) => Box | undefined {
  const positions = placeNodes(graph.nodes, graph.edges, new Map());
  return (id) => {
    const at = positions.get(id);
    const node = graph.nodes.find((candidate) => candidate.id === id);
    return at && node ? { ...at, width: node.width, height: node.height } : undefined;
  };
}

const nameOf = (graph: GraphModel) => (id: string) => {
  const data = graph.nodes.find((node) => node.id === id)?.data;
  return data && 'name' in data ? data.name : id;
};

describe('what a panel keeps in view', () => {
  it("a service's panel: the service and its callers always, what it calls as well", () => {
    const graph = shopGraph();
    const focus = serviceFocus(graph, 'svc:orders');
    expect(focus.core.map(nameOf(graph))).toEqual(['orders', 'web']);
    expect(focus.around.map(nameOf(graph)).sort()).toEqual(['inventory', 'payments']);
  });

  it('a service called by several callers keeps them all in the core', () => {
    const graph = shopGraph();
    expect(serviceFocus(graph, 'svc:inventory').core.map(nameOf(graph)).sort()).toEqual(['inventory', 'orders', 'web']);
  });

  it("an edge's panel: the two ends", () => {
    expect(edgeFocus({ source: 'caller:shell', target: 'svc:web' })).toEqual({ core: ['caller:shell', 'svc:web'], around: [] });
  });

  it('with room, shows the callees too; in a narrow view, only the service and its callers, at a readable zoom', () => {
    const graph = shopGraph();
    const focus = serviceFocus(graph, 'svc:orders');
    const boxOf = boxesOf(graph);
    // The canvas left beside a panel at 1280×800 and at 1024×700 (topology.css's .with-panel).
    expect(nodesToFit(focus, boxOf, { width: 1600, height: 700 }).length).toBe(4);
    expect(nodesToFit(focus, boxOf, { width: 610, height: 530 }).map(nameOf(graph)).sort()).toEqual(['orders', 'web']);
  });

  it('never drops the core, however narrow the view', () => {
    const graph = shopGraph();
    const focus = serviceFocus(graph, 'svc:inventory');
    expect(nodesToFit(focus, boxesOf(graph), { width: 100, height: 100 }).map(nameOf(graph)).sort()).toEqual(['inventory', 'orders', 'web']);
  });

  it('leaves out nodes the layout has not placed yet', () => {
    const graph = shopGraph();
    const focus = serviceFocus(graph, 'svc:orders');
    const boxOf = boxesOf(graph);
    const onlyPlaced = (id: string) => (id === 'svc:payments' ? undefined : boxOf(id));
    expect(nodesToFit(focus, onlyPlaced, { width: 1600, height: 700 }).map(nameOf(graph)).sort()).toEqual(['inventory', 'orders', 'web']);
  });

  it('the focus key changes with the nodes, not with the numbers', () => {
    const graph = shopGraph();
    expect(focusKey(serviceFocus(graph, 'svc:orders'))).toBe(focusKey(serviceFocus(shopGraph(), 'svc:orders')));
    expect(focusKey(serviceFocus(graph, 'svc:orders'))).not.toBe(focusKey(serviceFocus(graph, 'svc:web')));
    expect(focusKey(null)).toBe('');
  });
});
