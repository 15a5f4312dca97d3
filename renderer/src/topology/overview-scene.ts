/**
 * A large mesh seen whole, as a map: what the overview canvas (overview-canvas.tsx) draws instead of
 * hundreds of React Flow nodes and edges. Below OVERVIEW_ZOOM no text on a node or edge can be read,
 * and mounting 800 elements to draw 5 px boxes was most of a 200-service mesh's first render and of
 * every stats update's long task (bench/graph). Pure: the graph model and positions in, the boxes,
 * curves and a hit test out, so it is unit-tested in Node.
 */
import { formatPercent, formatRps } from '../components/format.js';
import { edgeWidth } from './edge-style.js';
import { edgeCurves, type EdgeCurve } from './flow-dots.js';
import { LARGE_MESH_NODES, type XY } from './graph-layout.js';
import type { GraphModel, Health } from './graph-model.js';

/**
 * Below this zoom a large mesh is drawn as the overview. It is the zoom below which the edge labels
 * are hidden (edge-labels.tsx): 12 px text is under 4.2 px there.
 */
export const OVERVIEW_ZOOM = 0.35;
/** How far out a large mesh may be zoomed: far enough to fit a deep call graph whole. */
export const OVERVIEW_MIN_ZOOM = 0.02;

export function isLargeMesh(nodeCount: number): boolean {
  return nodeCount >= LARGE_MESH_NODES;
}

export function showsOverview(nodeCount: number, zoom: number): boolean {
  return isLargeMesh(nodeCount) && zoom < OVERVIEW_ZOOM;
}

export interface OverviewNode {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
  /** Callers have no health of their own. */
  health: Health | null;
  label: string;
  /** Its traffic in a line, as the node shows it zoomed in (`12 rps · 99.5%`). */
  detail: string;
}

export interface OverviewEdge {
  points: [XY, XY, XY, XY];
  health: Health;
  /** Stroke width in flow units, as the live graph draws it. */
  width: number;
  /** Idle, or history the route no longer feeds: drawn faded. */
  faded: boolean;
}

export interface OverviewScene {
  nodes: OverviewNode[];
  edges: OverviewEdge[];
}

/** `curves`: the edges' curves where the caller has them already (edgeCurves of the same graph and positions). */
export function overviewScene(
  graph: GraphModel,
  positions: ReadonlyMap<string, XY>,
  curves: readonly EdgeCurve[] = edgeCurves(graph, positions),
): OverviewScene {
  const nodes: OverviewNode[] = [];
  for (const node of graph.nodes) {
    const at = positions.get(node.id);
    if (!at) continue;
    const { data } = node;
    nodes.push({
      id: node.id,
      x: at.x,
      y: at.y,
      width: node.width,
      height: node.height,
      health: data.kind === 'caller' ? null : data.health,
      label: data.kind === 'external' ? 'external' : data.name,
      detail:
        data.kind === 'caller'
          ? `caller · ${formatRps(data.rps)}`
          : data.kind === 'external'
            ? `${data.hosts.length} host${data.hosts.length === 1 ? '' : 's'} · ${formatRps(data.rps)}`
            : `${formatRps(data.rps)} · ${formatPercent(data.successRate)}`,
    });
  }
  const edges = curves.map(({ edge, points }): OverviewEdge => ({
    points,
    health: edge.health,
    width: edgeWidth(edge.rps),
    faded: edge.idle || edge.retired,
  }));
  return { nodes, edges };
}

/** The node under a point in flow coordinates; the last drawn (topmost) wins where boxes touch. */
export function nodeAt(scene: OverviewScene, point: XY, slack = 0): OverviewNode | null {
  for (let index = scene.nodes.length - 1; index >= 0; index--) {
    const node = scene.nodes[index];
    if (node && point.x >= node.x - slack && point.x <= node.x + node.width + slack && point.y >= node.y - slack && point.y <= node.y + node.height + slack)
      return node;
  }
  return null;
}
