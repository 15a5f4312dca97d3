import { getBezierPath, Position } from '@xyflow/react';
import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../settings/settings-model.js';
import { dotsAt, DOT_SPACING, edgeCurve, edgeCurves, flowPaths, pointOnCurve } from './flow-dots.js';
import { buildGraph } from './graph-model.js';
import { placeNodes } from './graph-layout.js';
import { serviceView, statsSnapshot } from './testing/mesh-fixtures.js';

describe('flow dots', () => {
  it("follow React Flow's own bezier", () => {
    for (const [source, target] of [
      [
        { x: 0, y: 0 },
        { x: 300, y: 120 },
      ],
      [
        { x: 400, y: 50 },
        { x: 100, y: 300 },
      ],
    ] as const) {
      const [path] = getBezierPath({
        sourceX: source.x,
        sourceY: source.y,
        targetX: target.x,
        targetY: target.y,
        sourcePosition: Position.Right,
        targetPosition: Position.Left,
      });
      const [p0, p1, p2, p3] = edgeCurve(source, target);
      const numbers = (text: string) => text.match(/-?\d+(\.\d+)?/g)?.map(Number) ?? [];
      expect(numbers(path)).toEqual([p0.x, p0.y, p1.x, p1.y, p2.x, p2.y, p3.x, p3.y].map((value) => expect.closeTo(value, 5)));
    }
    const curve = edgeCurve({ x: 0, y: 0 }, { x: 200, y: 100 });
    expect(pointOnCurve(curve, 0)).toEqual({ x: 0, y: 0 });
    expect(pointOnCurve(curve, 1)).toEqual({ x: 200, y: 100 });
  });

  it('move only on edges with traffic, spaced along the curve, towards the target', () => {
    const graph = buildGraph({
      services: [serviceView('hello', { default: ['127.0.0.1:7001'] }), serviceView('world', { v1: ['127.0.0.1:7002'], v2: ['127.0.0.1:7003'] })],
      stats: statsSnapshot([
        { caller: 'hello', service: 'world', version: 'v1', rps: 5 },
        { caller: 'hello', service: 'world', version: 'v2', rps: 0 },
      ]),
      routes: null,
      faults: null,
      thresholds: DEFAULT_THRESHOLDS,
    });
    const curves = edgeCurves(graph, placeNodes(graph.nodes, graph.edges, new Map()));
    expect(curves.map((curve) => curve.edge.id)).toEqual(['hello->world@v1', 'hello->world@v2']);
    const paths = flowPaths(curves);
    expect(paths.map((path) => path.id)).toEqual(['hello->world@v1']);
    const [path] = paths;
    if (!path) throw new Error('no path');
    const dots = dotsAt(path, 0);
    expect(dots).toHaveLength(Math.max(1, Math.round(path.length / DOT_SPACING)));
    expect(dots[0]).toEqual(path.points[0]);
    // Zoomed out, fewer dots; too small to see, none.
    expect(dotsAt(path, 0, 0.5).length).toBeLessThan(dots.length + 1);
    expect(dotsAt(path, 0, 0.5)).toHaveLength(Math.max(1, Math.round((path.length * 0.5) / DOT_SPACING)));
    expect(dotsAt(path, 0, 1 / path.length)).toEqual([]);
    // A little later the first dot has moved along, towards the target.
    const later = dotsAt(path, 0.1)[0] as { x: number; y: number };
    const distance = (a: { x: number; y: number }, b: { x: number; y: number }) => Math.hypot(a.x - b.x, a.y - b.y);
    expect(distance(later, path.points[3])).toBeLessThan(distance(path.points[0], path.points[3]));
  });
});
