/**
 * Where the nodes go: a layered left-to-right layout (dagre; for large meshes a faster one of the
 * same kind, fast-layered-layout.ts), callers before the services they
 * call, that keeps every node where it was when the graph changes. Like Kiali's merge of each new
 * graph into the old one, a node that already has a position (laid out before, or dragged by the
 * user) never moves; only new nodes are placed, near where a fresh layout would put them relative
 * to the others, and pushed down until they overlap nothing. Pure: positions in, positions out.
 */
import { Graph, layout } from '@dagrejs/dagre';
import { fastLayeredLayout, orderLayers } from './fast-layered-layout.js';

export interface XY {
  x: number;
  y: number;
}

export interface LayoutNode {
  id: string;
  width: number;
  height: number;
}

export interface LayoutEdge {
  source: string;
  target: string;
}

/** Space kept around a node placed next to existing ones. */
const MARGIN = 24;
const NODE_SEP = 36;
const RANK_SEP = 210;
const LAYOUT_MARGIN = 20;
/**
 * From this many nodes on, the layers are drawn by fast-layered-layout.ts instead of dagre: on the
 * 200-service bench mesh dagre took 600–700 ms (about a second in the dashboard's worker), the
 * longest step of the first render, and a graph that size is fitted too small to read anyway.
 */
export const LARGE_MESH_NODES = 100;

/**
 * Top-left corners of every node, by id. Nodes already in `previous` keep their position exactly.
 * `precomputed` is the fresh layout of these nodes and edges when it was computed elsewhere (a worker,
 * layout-worker.ts); without it, it is computed here.
 */
export function placeNodes(
  nodes: readonly LayoutNode[],
  edges: readonly LayoutEdge[],
  previous: ReadonlyMap<string, XY>,
  precomputed?: ReadonlyMap<string, XY>,
): Map<string, XY> {
  const placed = new Map<string, XY>();
  const fresh = nodes.filter((node) => !previous.has(node.id));
  for (const node of nodes) {
    const position = previous.get(node.id);
    if (position) placed.set(node.id, position);
  }
  // The common case, a stats update on an unchanged graph, costs no layout at all.
  if (fresh.length === 0) return placed;
  const layered = precomputed ?? layeredLayout(nodes, edges);
  if (placed.size === 0) return new Map(layered);

  const offset = medianOffset(nodes, placed, layered);
  const sizes = new Map(nodes.map((node) => [node.id, node]));
  const occupied = [...placed].map(([id, at]) => rect(at, sizes.get(id) as LayoutNode));
  for (const node of fresh) {
    const ideal = layered.get(node.id) ?? { x: 0, y: 0 };
    const at = { x: Math.round(ideal.x + offset.x), y: Math.round(ideal.y + offset.y) };
    // Each step clears at least one obstacle, so this ends within occupied.length + 1 rounds.
    for (let round = 0; round <= occupied.length; round++) {
      const hit = occupied.find((other) => overlaps(rect(at, node), other));
      if (!hit) break;
      at.y = hit.bottom + MARGIN;
    }
    placed.set(node.id, at);
    occupied.push(rect(at, node));
  }
  return placed;
}

/** A fresh layered layout of the whole graph, top-left corners. */
export function layeredLayout(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[]): Map<string, XY> {
  if (nodes.length >= LARGE_MESH_NODES) return fastLayeredLayout(nodes, edges, { nodeSep: NODE_SEP, rankSep: RANK_SEP, margin: LAYOUT_MARGIN });
  return dagreLayout(nodes, edges);
}

/**
 * How dagre orders the nodes within each rank: with its own crossing reduction, or with the
 * barycentre sweeps of fast-layered-layout.ts on dagre's ranks. The sweeps draw fewer crossings on
 * the bench's meshes (26 against 44 at 20 services, 206 against 224 at 50, 335 against 354 at 80)
 * and take less time (dagre's own ordering was half of its layout's time in Node); in the
 * dashboard's fresh worker the layout's time is mostly cold code either way.
 */
export type DagreOrdering = 'barycentre' | 'dagre';

/** dagre's layered layout, with the ranking that keeps a small mesh most compact. */
export function dagreLayout(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[], ordering: DagreOrdering = 'barycentre'): Map<string, XY> {
  const graph = new Graph({ multigraph: false });
  graph.setGraph({ rankdir: 'LR', nodesep: NODE_SEP, ranksep: RANK_SEP, marginx: LAYOUT_MARGIN, marginy: LAYOUT_MARGIN, ranker: 'network-simplex' });
  graph.setDefaultEdgeLabel(() => ({}));
  const ids = new Set<string>();
  for (const node of nodes) {
    graph.setNode(node.id, { width: node.width, height: node.height });
    ids.add(node.id);
  }
  for (const edge of edges) {
    if (edge.source !== edge.target && ids.has(edge.source) && ids.has(edge.target)) graph.setEdge(edge.source, edge.target);
  }
  layout(graph, ordering === 'barycentre' ? { customOrder: barycentreOrder } : {});
  const positions = new Map<string, XY>();
  for (const node of nodes) {
    const centre = graph.node(node.id) as { x: number; y: number };
    positions.set(node.id, { x: Math.round(centre.x - node.width / 2), y: Math.round(centre.y - node.height / 2) });
  }
  return positions;
}

/**
 * dagre's ordering step replaced (its `customOrder`): by then every node of dagre's graph has a
 * rank and every edge joins adjacent ranks (long edges are chains of dagre's own dummy nodes), so
 * the sweeps add no virtual nodes; what they decide goes back as each node's `order`.
 */
function barycentreOrder(graph: Graph): void {
  const names = graph.nodes();
  const index = new Map(names.map((name, i) => [name, i]));
  const rank = new Int32Array(names.length);
  names.forEach((name, i) => (rank[i] = (graph.node(name) as { rank: number }).rank));
  const successors = names.map((name) => (graph.successors(name) ?? []).flatMap((to) => index.get(to) ?? []));
  orderLayers(rank, successors).forEach((layer) => layer.forEach((node, position) => ((graph.node(names[node] ?? '') as { order: number }).order = position)));
}

/** How far the kept nodes sit from where a fresh layout would put them (median, robust to drags). */
function medianOffset(nodes: readonly LayoutNode[], placed: ReadonlyMap<string, XY>, layered: ReadonlyMap<string, XY>): XY {
  const dx: number[] = [];
  const dy: number[] = [];
  for (const node of nodes) {
    const was = placed.get(node.id);
    const ideal = layered.get(node.id);
    if (!was || !ideal) continue;
    dx.push(was.x - ideal.x);
    dy.push(was.y - ideal.y);
  }
  return { x: median(dx), y: median(dy) };
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

function rect(at: XY, size: { width: number; height: number }): Rect {
  return { left: at.x, top: at.y, right: at.x + size.width, bottom: at.y + size.height };
}

function overlaps(a: Rect, b: Rect): boolean {
  return a.left < b.right + MARGIN && b.left < a.right + MARGIN && a.top < b.bottom + MARGIN && b.top < a.bottom + MARGIN;
}
