/**
 * Where each edge's label goes: beside its curve, clear of the other labels, of the nodes and of
 * the lines themselves (a pill on a line hides it). Each
 * label tries points along its curve from the middle outwards (0.5, then 0.4 and 0.6, …), above the
 * curve then below it, and takes the first whose box overlaps nothing placed so far; failing that,
 * the first that only crosses a line; failing that, the label is left out (its numbers are in the
 * edge's panel) rather than drawn over another. Labels are placed busiest edge first, so when space
 * runs out it is a quiet edge (one a reroute left behind, say) that loses its label. Pure and cheap (a few boxes per label), so it runs whenever the layout or a number changes;
 * the text width is estimated from its length rather than measured, which would mean a layout pass.
 */
import { formatMs, formatPercent, formatRps } from '../components/format.js';
import { edgeLabel } from './edge-style.js';
import { edgeCurves, pointOnCurve, type EdgeCurve } from './flow-dots.js';
import type { XY } from './graph-layout.js';
import type { GraphModel } from './graph-model.js';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LabelToPlace {
  id: string;
  points: readonly [XY, XY, XY, XY];
  text: string;
  /** Busier edges are placed first. */
  rps: number;
}

/** A placed label: its box (top-left corner), in flow coordinates. */
export type PlacedLabel = Box;

/** 12 px text: the average advance of system-ui digits and lower case, plus the pill's padding. */
const CHAR_WIDTH = 6.8;
const PADDING_X = 10;
export const LABEL_HEIGHT = 18;
/** How far the label's near edge keeps from the curve. */
const GAP = 3;
const ALONG = [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8];

export function labelWidth(text: string): number {
  return Math.ceil(text.length * CHAR_WIDTH + PADDING_X);
}

export function placeLabels(labels: readonly LabelToPlace[], obstacles: readonly Box[]): Map<string, PlacedLabel> {
  const taken = new BoxGrid();
  for (const box of obstacles) taken.add(box);
  // The lines themselves, sampled: a label over its own or another edge's line hides the line.
  const lines = new BoxGrid();
  const samplesOf = new Map<string, XY[]>();
  for (const label of labels) {
    const samples = sampleCurve(label.points);
    samplesOf.set(label.id, samples);
    for (const point of samples) lines.add({ x: point.x - 1, y: point.y - 1, width: 2, height: 2 });
  }
  const placed = new Map<string, PlacedLabel>();
  for (const label of [...labels].sort((a, b) => b.rps - a.rps || a.id.localeCompare(b.id))) {
    const width = labelWidth(label.text);
    const samples = samplesOf.get(label.id) ?? [];
    const candidates = ALONG.flatMap((t) => {
      const point = pointOnCurve(label.points, t);
      // Above (or below) the curve over the label's whole width, not only at its middle: a pill
      // about as wide as a sloped edge would otherwise sit across it.
      let top = point.y;
      let bottom = point.y;
      for (const sample of samples) {
        if (Math.abs(sample.x - point.x) > width / 2) continue;
        top = Math.min(top, sample.y);
        bottom = Math.max(bottom, sample.y);
      }
      // Whole pixels: crisp pill edges.
      const x = Math.round(point.x - width / 2);
      const above = { x, y: Math.round(top - GAP - LABEL_HEIGHT), width, height: LABEL_HEIGHT };
      const below = { x, y: Math.round(bottom + GAP), width, height: LABEL_HEIGHT };
      return [above, below];
    });
    const free = candidates.filter((candidate) => !taken.hits(candidate));
    const box = free.find((candidate) => !lines.hits(candidate)) ?? free[0];
    if (!box) continue;
    taken.add(box);
    placed.set(label.id, box);
  }
  return placed;
}

/** Points sampled along each curve as obstacles: enough that a pill cannot slip between two. */
const CURVE_SAMPLES = 24;

function sampleCurve(points: LabelToPlace['points']): XY[] {
  return Array.from({ length: CURVE_SAMPLES + 1 }, (_, step) => pointOnCurve(points, step / CURVE_SAMPLES));
}
const CELL = 64;
/**
 * A cell's key as one number, row-major over a grid wide enough for any graph on screen (2^20
 * cells of 64 px each way): string keys cost an allocation per cell per test, thousands per
 * placement of a large mesh's labels.
 */
const ROW = 2 ** 20;
const cellKey = (column: number, row: number) => (row + ROW / 2) * ROW + (column + ROW / 2);

/** Boxes bucketed by a coarse grid, so a test looks at the few boxes nearby, not at every one. */
class BoxGrid {
  private readonly cells = new Map<number, Box[]>();

  add(box: Box): void {
    const [left, top, right, bottom] = cellSpan(box);
    for (let column = left; column <= right; column++) {
      for (let row = top; row <= bottom; row++) {
        const key = cellKey(column, row);
        const cell = this.cells.get(key);
        if (cell) cell.push(box);
        else this.cells.set(key, [box]);
      }
    }
  }

  hits(box: Box): boolean {
    const [left, top, right, bottom] = cellSpan(box);
    for (let column = left; column <= right; column++) {
      for (let row = top; row <= bottom; row++) {
        const cell = this.cells.get(cellKey(column, row));
        if (cell?.some((other) => overlaps(box, other))) return true;
      }
    }
    return false;
  }
}

function cellSpan(box: Box): [number, number, number, number] {
  return [Math.floor(box.x / CELL), Math.floor(box.y / CELL), Math.floor((box.x + box.width) / CELL), Math.floor((box.y + box.height) / CELL)];
}

export function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

export interface EdgeLabelLayout {
  text: string;
  box: PlacedLabel;
}

/**
 * Every placed edge's label text and box, for the screen (edge-labels.tsx) and the SVG export
 * alike, so the export shows the labels where the screen does. With `within`, only the edges and
 * nodes reaching into that box take part: a large mesh zoomed in places the labels around the view
 * rather than all of them (600 labels took 10–90 ms, on every stats update and every drag move).
 */
export function edgeLabelLayout(
  graph: GraphModel,
  positions: ReadonlyMap<string, XY>,
  curves: readonly EdgeCurve[] = edgeCurves(graph, positions),
  within?: Box,
): Map<string, EdgeLabelLayout> {
  const texts = new Map<string, string>();
  const labels = curves.flatMap(({ edge, points }) => {
    if (within && !overlaps(curveBounds(points), within)) return [];
    const text = edgeLabel(edge, FORMAT);
    texts.set(edge.id, text);
    return [{ id: edge.id, points, text, rps: edge.rps }];
  });
  const nodes = graph.nodes.flatMap((node) => {
    const at = positions.get(node.id);
    if (!at) return [];
    const box = { x: at.x, y: at.y, width: node.width, height: node.height };
    return within && !overlaps(box, within) ? [] : [box];
  });
  const layout = new Map<string, EdgeLabelLayout>();
  for (const [id, box] of placeLabels(labels, nodes)) layout.set(id, { text: texts.get(id) ?? '', box });
  return layout;
}

const FORMAT = { rps: formatRps, percent: formatPercent, ms: formatMs };

/** A box around a bezier curve: its control points' hull holds it. */
function curveBounds(points: readonly [XY, XY, XY, XY]): Box {
  const xs = points.map((point) => point.x);
  const ys = points.map((point) => point.y);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y };
}
