/** How readable a layout is, for tests: edge crossings, drawn as straight lines from side to side. */
import { overlaps } from '../edge-label-placement.js';
import type { LayoutEdge, LayoutNode, XY } from '../graph-layout.js';

interface Segment {
  from: XY;
  to: XY;
  source: string;
  target: string;
}

/** Pairs of edges (source's right side to target's left side) that cross, edges sharing an end not counted. */
export function crossings(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[], positions: ReadonlyMap<string, XY>): number {
  const sizes = new Map(nodes.map((node) => [node.id, node]));
  const segments: Segment[] = [];
  for (const edge of edges) {
    const a = positions.get(edge.source);
    const b = positions.get(edge.target);
    const sa = sizes.get(edge.source);
    const sb = sizes.get(edge.target);
    if (!a || !b || !sa || !sb || edge.source === edge.target) continue;
    segments.push({ from: { x: a.x + sa.width, y: a.y + sa.height / 2 }, to: { x: b.x, y: b.y + sb.height / 2 }, source: edge.source, target: edge.target });
  }
  let count = 0;
  for (let i = 0; i < segments.length; i++) {
    for (let j = i + 1; j < segments.length; j++) {
      const p = segments[i] as Segment;
      const q = segments[j] as Segment;
      if (p.source === q.source || p.target === q.target || p.source === q.target || p.target === q.source) continue;
      if (intersect(p.from, p.to, q.from, q.to)) count++;
    }
  }
  return count;
}

function orientation(a: XY, b: XY, c: XY): number {
  return Math.sign((b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x));
}

function intersect(p1: XY, p2: XY, q1: XY, q2: XY): boolean {
  return orientation(p1, p2, q1) * orientation(p1, p2, q2) < 0 && orientation(q1, q2, p1) * orientation(q1, q2, p2) < 0;
}

/** Pairs of nodes whose boxes overlap. */
export function overlappingNodes(nodes: readonly LayoutNode[], positions: ReadonlyMap<string, XY>): string[] {
  const found: string[] = [];
  const boxes = nodes.flatMap((node) => {
    const at = positions.get(node.id);
    return at ? [{ id: node.id, box: { ...at, width: node.width, height: node.height } }] : [];
  });
  boxes.forEach((a, i) => {
    for (const b of boxes.slice(i + 1)) if (overlaps(a.box, b.box)) found.push(`${a.id} × ${b.id}`);
  });
  return found;
}
