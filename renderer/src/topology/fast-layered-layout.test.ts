// The layout of large meshes against dagre's on the graph bench's generated meshes: no overlaps,
// callers left of what they call, deterministic, and not many more crossings than dagre draws.
import { describe, expect, it } from 'vitest';
import { generateMesh, statsAt } from '../../../bench/graph/synthetic-mesh.js';
import { DEFAULT_THRESHOLDS } from '../settings/settings-model.js';
import { fastLayeredLayout } from './fast-layered-layout.js';
import { dagreLayout, LARGE_MESH_NODES, layeredLayout } from './graph-layout.js';
import { buildGraph } from './graph-model.js';
import { crossings, overlappingNodes } from './testing/layout-quality.js';

const SPACING = { nodeSep: 36, rankSep: 210, margin: 20 };

function benchGraph(services: number, edges: number) {
  const mesh = generateMesh({ services, edges, totalRps: 2000 });
  return buildGraph({ services: mesh.services, stats: statsAt(mesh, 0, 1), routes: mesh.routes, faults: [], thresholds: DEFAULT_THRESHOLDS });
}

describe('fast layered layout', () => {
  it('is what layeredLayout uses from LARGE_MESH_NODES nodes on, dagre below', () => {
    const large = benchGraph(200, 600);
    expect(large.nodes.length).toBeGreaterThanOrEqual(LARGE_MESH_NODES);
    expect(layeredLayout(large.nodes, large.edges)).toEqual(fastLayeredLayout(large.nodes, large.edges, SPACING));
    const small = benchGraph(50, 150);
    expect(layeredLayout(small.nodes, small.edges)).toEqual(dagreLayout(small.nodes, small.edges));
  });

  it('places every node, none overlapping, callers left of what they call, the same way each time', () => {
    const graph = benchGraph(200, 600);
    const positions = fastLayeredLayout(graph.nodes, graph.edges, SPACING);
    expect(positions.size).toBe(graph.nodes.length);
    expect(overlappingNodes(graph.nodes, positions)).toEqual([]);
    const leftToRight = graph.edges.filter((edge) => (positions.get(edge.source)?.x ?? 0) < (positions.get(edge.target)?.x ?? 0));
    // The bench mesh calls only forward (lower-numbered services call higher ones): no cycle to break.
    expect(leftToRight).toHaveLength(graph.edges.length);
    expect(fastLayeredLayout(graph.nodes, graph.edges, SPACING)).toEqual(positions);
  });

  it('draws at most twice the crossings dagre draws at 200/600, and no more than dagre at 50/150', () => {
    const large = benchGraph(200, 600);
    const small = benchGraph(50, 150);
    const fast = (graph: typeof large) => crossings(graph.nodes, graph.edges, fastLayeredLayout(graph.nodes, graph.edges, SPACING));
    const dagre = (graph: typeof large) => crossings(graph.nodes, graph.edges, dagreLayout(graph.nodes, graph.edges));
    expect(fast(large)).toBeLessThanOrEqual(2 * dagre(large));
    expect(fast(small)).toBeLessThanOrEqual(dagre(small));
  });

  it("orders dagre's ranks for smaller meshes too, with no more crossings than dagre's own ordering and nothing overlapping", () => {
    const graph = benchGraph(50, 150);
    const swept = dagreLayout(graph.nodes, graph.edges);
    const own = dagreLayout(graph.nodes, graph.edges, 'dagre');
    expect(swept).not.toEqual(own);
    expect(overlappingNodes(graph.nodes, swept)).toEqual([]);
    expect(graph.edges.every((edge) => (swept.get(edge.source)?.x ?? 0) < (swept.get(edge.target)?.x ?? 0))).toBe(true);
    expect(crossings(graph.nodes, graph.edges, swept)).toBeLessThanOrEqual(crossings(graph.nodes, graph.edges, own));
  });

  it('breaks cycles, keeps nodes without edges, and ignores self-calls and unknown ends', () => {
    const nodes = ['a', 'b', 'c', 'lonely'].map((id) => ({ id, width: 100, height: 40 }));
    const edges = [
      { source: 'a', target: 'b' },
      { source: 'b', target: 'c' },
      { source: 'c', target: 'a' },
      { source: 'b', target: 'b' },
      { source: 'a', target: 'ghost' },
    ];
    const positions = fastLayeredLayout(nodes, edges, SPACING);
    expect([...positions.keys()].sort()).toEqual(['a', 'b', 'c', 'lonely']);
    expect(overlappingNodes(nodes, positions)).toEqual([]);
    const x = (id: string) => positions.get(id)?.x ?? NaN;
    expect(x('a')).toBeLessThan(x('b'));
    expect(x('b')).toBeLessThan(x('c'));
  });
});
