/**
 * The live numbers on the edges (`12 rps · 99.5% · p99 45 ms`) as pills beside their edges, placed
 * clear of each other and of the nodes (edge-label-placement.ts). Drawn as one SVG layer over the
 * traffic dots' canvas, in the viewport's pan and zoom, rather than inside each React Flow edge:
 * the numbers change every second, and inside the edges that re-rendered every edge through React
 * Flow; here it is one component updating text nodes, and the dots pass under the labels instead
 * of through them. Hidden when zoomed so far out that the text could not be read anyway.
 */
import { useStore, type ReactFlowState } from '@xyflow/react';
import { useMemo } from 'react';
import { edgeLabelLayout, LABEL_HEIGHT, type Box } from './edge-label-placement.js';
import { isLargeMesh, OVERVIEW_ZOOM } from './overview-scene.js';
import type { EdgeCurve } from './flow-dots.js';
import type { XY } from './graph-layout.js';
import type { GraphModel } from './graph-model.js';

const MIN_READABLE_ZOOM = OVERVIEW_ZOOM;
const selectTransform = (state: ReactFlowState) => state.transform;
const sameTransform = (a: ReactFlowState['transform'], b: ReactFlowState['transform']) => a[0] === b[0] && a[1] === b[1] && a[2] === b[2];
/**
 * The view in flow coordinates, widened by at least half a view on every side and snapped to steps
 * of half a view: it changes only when a pan has gone half a view, and labels just outside are
 * placed already.
 */
function labelRegion({ transform: [x, y, zoom], width, height }: ReactFlowState): Box {
  const stepX = Math.max(1, width / zoom / 2);
  const stepY = Math.max(1, height / zoom / 2);
  const left = Math.floor(-x / zoom / stepX) * stepX - stepX;
  const top = Math.floor(-y / zoom / stepY) * stepY - stepY;
  return { x: left, y: top, width: 5 * stepX, height: 5 * stepY };
}
const sameRegion = (a: Box | null, b: Box | null) =>
  a === b || (a !== null && b !== null && a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height);
/** The text's baseline inside its pill, for 12 px text in an 18 px pill. */
const BASELINE = 13;

interface EdgeLabelsProps {
  graph: GraphModel;
  positions: ReadonlyMap<string, XY>;
  curves: readonly EdgeCurve[];
}

export function EdgeLabels({ graph, positions, curves }: EdgeLabelsProps) {
  const [x, y, zoom] = useStore(selectTransform, sameTransform);
  const readable = zoom >= MIN_READABLE_ZOOM;
  const large = isLargeMesh(graph.nodes.length);
  const region = useStore((state: ReactFlowState) => (large ? labelRegion(state) : null), sameRegion);
  // Placed only while shown: a large mesh seen whole is too far out to read, and placing its
  // hundreds of labels would cost a long task on every stats update. Not on every pan either: a
  // large mesh's labels are placed in a region around the view that moves in steps.
  const layout = useMemo(
    () => (readable ? edgeLabelLayout(graph, positions, curves, region ?? undefined) : null),
    [readable, graph, positions, curves, region],
  );
  if (!layout) return null;
  const { edges } = graph;
  return (
    <svg className="edge-labels" aria-hidden="true">
      <g transform={`translate(${x} ${y}) scale(${zoom})`}>
        {edges.map((edge) => {
          const placed = layout.get(edge.id);
          if (!placed) return null;
          const { box, text } = placed;
          return (
            <g key={edge.id} className={`traffic-label${edge.idle || edge.retired ? ' idle' : ''}`}>
              <rect x={box.x} y={box.y} width={box.width} height={LABEL_HEIGHT} rx={LABEL_HEIGHT / 2} />
              <text x={box.x + box.width / 2} y={box.y + BASELINE} textAnchor="middle" data-testid={`edge-label-${edge.id}`}>
                {text}
              </text>
            </g>
          );
        })}
      </g>
    </svg>
  );
}
