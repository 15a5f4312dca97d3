/**
 * Traffic as dots moving along the edges, computed here and drawn on one canvas (flow-canvas.tsx).
 * Each flowing edge gets a dot every DOT_SPACING screen px, moving at a speed (screen px per second)
 * that grows with its requests per second: dots keep their size, spacing and pace at any zoom, and
 * a zoomed-out graph draws fewer of them. The curve is React Flow's default bezier between the same handle points
 * React Flow computes (handle edge, vertical centre), so the dots ride on the drawn edges. Pure
 * geometry, unit-tested.
 *
 * Why a canvas and not an animated dash per SVG edge: any per-frame change to SVG edges makes
 * Chromium restyle and repaint the whole edge layer, which with 150 edges took most of the main
 * thread (bench/graph); a canvas of dots costs a clear and a few hundred arcs per frame.
 */
import { flowSpeed } from './edge-style.js';
import { HANDLE_SIZE, handleOffset } from './graph-geometry.js';
import type { XY } from './graph-layout.js';
import type { GraphEdge, GraphModel, Health } from './graph-model.js';

export const DOT_SPACING = 36;
/** Edges shorter than this on screen get no dots. */
const MIN_SCREEN_LENGTH = 12;
/** React Flow's default bezier curvature. */
const CURVATURE = 0.25;

export interface FlowPath {
  id: string;
  points: [XY, XY, XY, XY];
  /** Approximate arc length, px. */
  length: number;
  /** Screen px per second along the curve. */
  speed: number;
  health: Health;
}

function controlOffset(distance: number): number {
  return distance >= 0 ? 0.5 * distance : CURVATURE * 25 * Math.sqrt(-distance);
}

/** The cubic bezier React Flow draws from a right-side source to a left-side target. */
export function edgeCurve(source: XY, target: XY): [XY, XY, XY, XY] {
  return [source, { x: source.x + controlOffset(target.x - source.x), y: source.y }, { x: target.x - controlOffset(target.x - source.x), y: target.y }, target];
}

export function pointOnCurve([p0, p1, p2, p3]: readonly [XY, XY, XY, XY], t: number): XY {
  const u = 1 - t;
  const a = u * u * u;
  const b = 3 * u * u * t;
  const c = 3 * u * t * t;
  const d = t * t * t;
  return { x: a * p0.x + b * p1.x + c * p2.x + d * p3.x, y: a * p0.y + b * p1.y + c * p2.y + d * p3.y };
}

/** Sixteen chords along the curve; inline arithmetic, as it runs for every edge on every stats update. */
function curveLength([p0, p1, p2, p3]: readonly [XY, XY, XY, XY]): number {
  let length = 0;
  let previousX = p0.x;
  let previousY = p0.y;
  for (let step = 1; step <= 16; step++) {
    const t = step / 16;
    const u = 1 - t;
    const a = u * u * u;
    const b = 3 * u * u * t;
    const c = 3 * u * t * t;
    const d = t * t * t;
    const x = a * p0.x + b * p1.x + c * p2.x + d * p3.x;
    const y = a * p0.y + b * p1.y + c * p2.y + d * p3.y;
    length += Math.hypot(x - previousX, y - previousY);
    previousX = x;
    previousY = y;
  }
  return length;
}

export interface EdgeCurve {
  edge: GraphEdge;
  points: [XY, XY, XY, XY];
}

/** The curve of every edge whose two ends are placed, in flow coordinates. */
export function edgeCurves(graph: GraphModel, positions: ReadonlyMap<string, XY>): EdgeCurve[] {
  const nodes = new Map(graph.nodes.map((node) => [node.id, node]));
  const curves: EdgeCurve[] = [];
  for (const edge of graph.edges) {
    const source = nodes.get(edge.source);
    const target = nodes.get(edge.target);
    const from = positions.get(edge.source);
    const to = positions.get(edge.target);
    if (!source || !target || !from || !to) continue;
    const versions = target.data.kind === 'service' ? target.data.versions.map((version) => version.name) : [];
    const out = handleOffset('source', null, source, []);
    const into = handleOffset('target', edge.targetHandle, target, versions);
    // React Flow ends an edge at the handle's outer side: half a handle beyond the node's border.
    curves.push({
      edge,
      points: edgeCurve({ x: from.x + out.x + HANDLE_SIZE / 2, y: from.y + out.y }, { x: to.x + into.x - HANDLE_SIZE / 2, y: to.y + into.y }),
    });
  }
  return curves;
}

/** The moving paths of every edge with traffic. */
export function flowPaths(curves: readonly EdgeCurve[]): FlowPath[] {
  const paths: FlowPath[] = [];
  for (const { edge, points } of curves) {
    // Dots are traffic flowing now: none on an edge gone quiet or one the route no longer feeds.
    const speed = edge.idle || edge.retired ? null : flowSpeed(edge.rps);
    if (speed !== null) paths.push({ id: edge.id, points, length: curveLength(points), speed, health: edge.health });
  }
  return paths;
}

/**
 * Calls `visit` with each dot of `path` after `seconds` at `zoom`, in flow coordinates: evenly
 * spaced, moving from source to target; none on an edge too short on screen to show them. Runs for
 * every dot on every frame, so it allocates nothing.
 */
export function forEachDot(path: FlowPath, seconds: number, zoom: number, visit: (x: number, y: number) => void): void {
  const onScreen = path.length * zoom;
  if (onScreen < MIN_SCREEN_LENGTH) return;
  const count = Math.max(1, Math.round(onScreen / DOT_SPACING));
  const travelled = ((seconds * path.speed) / onScreen) % 1;
  const [p0, p1, p2, p3] = path.points;
  for (let index = 0; index < count; index++) {
    const t = (travelled + index / count) % 1;
    const u = 1 - t;
    const a = u * u * u;
    const b = 3 * u * u * t;
    const c = 3 * u * t * t;
    const d = t * t * t;
    visit(a * p0.x + b * p1.x + c * p2.x + d * p3.x, a * p0.y + b * p1.y + c * p2.y + d * p3.y);
  }
}

/** The dots of `path` as points (for tests and the odd caller that wants them all). */
export function dotsAt(path: FlowPath, seconds: number, zoom = 1): XY[] {
  const dots: XY[] = [];
  forEachDot(path, seconds, zoom, (x, y) => dots.push({ x, y }));
  return dots;
}
