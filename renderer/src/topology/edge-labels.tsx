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
import { edgeLabelLayout, LABEL_HEIGHT } from './edge-label-placement.js';
import type { EdgeCurve } from './flow-dots.js';
import type { XY } from './graph-layout.js';
import type { GraphModel } from './graph-model.js';

const MIN_READABLE_ZOOM = 0.35;
const selectTransform = (state: ReactFlowState) => state.transform;
const sameTransform = (a: ReactFlowState['transform'], b: ReactFlowState['transform']) => a[0] === b[0] && a[1] === b[1] && a[2] === b[2];
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
  // Placed only while shown: a large mesh seen whole is too far out to read, and placing its
  // hundreds of labels would cost a long task on every stats update. Not on every pan either.
  const layout = useMemo(() => (readable ? edgeLabelLayout(graph, positions, curves) : null), [readable, graph, positions, curves]);
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
