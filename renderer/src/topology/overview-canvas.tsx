/**
 * A large mesh zoomed out (overview-scene.ts) drawn on one canvas in the viewport's pan and zoom:
 * edges as their curves coloured by health, nodes as boxes outlined by health, the selection in the
 * accent colour, and names once a box is wide enough on screen to hold one. It is redrawn in the next
 * animation frame after the scene, the view or the palette changed, never on a timer. It takes no
 * pointer events: the pane under it pans and zooms, and topology-graph.tsx hit-tests its clicks.
 */
import { useStore, type ReactFlowState } from '@xyflow/react';
import { useEffect, useRef } from 'react';
import { IDLE_OPACITY, type Palette } from './edge-style.js';
import type { OverviewEdge, OverviewNode, OverviewScene } from './overview-scene.js';

/** A name is drawn once its box is this wide on screen, px. */
const MIN_LABEL_BOX = 44;
/** Edges and outlines never thinner than this on screen, px: at 0.03 zoom they would vanish. */
const MIN_LINE = 0.75;
const FONT = '12px system-ui, -apple-system, "Segoe UI", sans-serif';

const selectView = (state: ReactFlowState) => ({ transform: state.transform, width: state.width, height: state.height });
const sameView = (a: ReturnType<typeof selectView>, b: ReturnType<typeof selectView>) =>
  a.width === b.width && a.height === b.height && a.transform[0] === b.transform[0] && a.transform[1] === b.transform[1] && a.transform[2] === b.transform[2];

export function OverviewCanvas({ scene, palette, selected }: { scene: OverviewScene; palette: Palette; selected: string | null }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const view = useStore(selectView, sameView);

  useEffect(() => {
    const element = canvas.current;
    const context = element?.getContext('2d');
    if (!element || !context) return;
    const frame = requestAnimationFrame(() => {
      const ratio = Math.min(window.devicePixelRatio || 1, 2);
      const width = Math.round(view.width * ratio);
      const height = Math.round(view.height * ratio);
      if (element.width !== width || element.height !== height) {
        element.width = width;
        element.height = height;
      } else {
        context.setTransform(1, 0, 0, 1, 0, 0);
        context.clearRect(0, 0, width, height);
      }
      const [x, y, zoom] = view.transform;
      context.setTransform(ratio * zoom, 0, 0, ratio * zoom, ratio * x, ratio * y);
      drawEdges(context, scene.edges, palette, zoom);
      drawNodes(context, scene, palette, zoom, selected);
      if (scene.nodes[0] && scene.nodes[0].width * zoom >= MIN_LABEL_BOX) {
        context.setTransform(ratio, 0, 0, ratio, 0, 0);
        drawLabels(context, scene, palette, view);
      }
      // What was drawn, and how often: the graph benchmark (bench/graph) reads both.
      element.dataset.drawn = `${scene.nodes.length}/${scene.edges.length}`;
      element.dataset.draws = String(Number(element.dataset.draws ?? 0) + 1);
    });
    return () => cancelAnimationFrame(frame);
  }, [scene, palette, selected, view]);

  return (
    <canvas
      ref={canvas}
      className="overview-canvas"
      style={{ width: view.width, height: view.height }}
      role="img"
      aria-label={`Overview of ${scene.nodes.length} nodes and ${scene.edges.length} edges. Zoom in, click a node, or pick a service from the list to open it.`}
      data-testid="overview-canvas"
    />
  );
}

/** One path per look (colour, width, fade): a few dozen strokes instead of one per edge. */
function drawEdges(context: CanvasRenderingContext2D, edges: readonly OverviewEdge[], palette: Palette, zoom: number): void {
  const looks = new Map<string, OverviewEdge[]>();
  for (const edge of edges) {
    const key = `${edge.health}|${edge.width}|${edge.faded}`;
    const group = looks.get(key);
    if (group) group.push(edge);
    else looks.set(key, [edge]);
  }
  for (const group of looks.values()) {
    const [first] = group;
    if (!first) continue;
    context.globalAlpha = first.faded ? IDLE_OPACITY : 0.85;
    context.strokeStyle = palette.health[first.health];
    context.lineWidth = Math.max(first.width, MIN_LINE / zoom);
    context.beginPath();
    for (const { points } of group) {
      const [p0, p1, p2, p3] = points;
      context.moveTo(p0.x, p0.y);
      context.bezierCurveTo(p1.x, p1.y, p2.x, p2.y, p3.x, p3.y);
    }
    context.stroke();
  }
  context.globalAlpha = 1;
}

function drawNodes(context: CanvasRenderingContext2D, scene: OverviewScene, palette: Palette, zoom: number, selected: string | null): void {
  context.fillStyle = palette.node;
  context.lineWidth = Math.max(1.5, MIN_LINE / zoom);
  for (const node of scene.nodes) {
    context.beginPath();
    context.roundRect(node.x, node.y, node.width, node.height, 8);
    context.fill();
    context.strokeStyle = node.health === null ? palette.nodeBorder : palette.health[node.health];
    context.stroke();
  }
  const chosen = selected === null ? undefined : scene.nodes.find((node) => node.id === selected);
  if (chosen) {
    context.lineWidth = 3 / zoom;
    context.strokeStyle = palette.accent;
    context.beginPath();
    context.roundRect(chosen.x - 4 / zoom, chosen.y - 4 / zoom, chosen.width + 8 / zoom, chosen.height + 8 / zoom, 10);
    context.stroke();
  }
}

/** Names in screen pixels (12 px, the graph's smallest text), clipped to their box. */
function drawLabels(context: CanvasRenderingContext2D, scene: OverviewScene, palette: Palette, view: ReturnType<typeof selectView>): void {
  const [x, y, zoom] = view.transform;
  context.font = FONT;
  context.fillStyle = palette.text;
  context.textBaseline = 'middle';
  for (const node of scene.nodes) {
    const left = node.x * zoom + x;
    const top = node.y * zoom + y;
    const width = node.width * zoom;
    if (left > view.width || top > view.height || left + width < 0 || top + node.height * zoom < 0) continue;
    context.save();
    context.beginPath();
    context.rect(left + 4, top, width - 8, node.height * zoom);
    context.clip();
    context.fillText(node.label, left + 6, top + Math.min(14, (node.height * zoom) / 2));
    context.restore();
  }
}

/** The hovered node's name and traffic, above its box: the map draws no text that small. */
export function OverviewTooltip({ node }: { node: OverviewNode }) {
  const { transform } = useStore(selectView, sameView);
  const [x, y, zoom] = transform;
  return (
    <div className="overview-tooltip" role="tooltip" style={{ left: (node.x + node.width / 2) * zoom + x, top: node.y * zoom + y }}>
      <strong>{node.label}</strong> {node.detail}
    </div>
  );
}
