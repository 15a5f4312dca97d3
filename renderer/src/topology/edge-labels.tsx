/**
 * The live numbers on the edges (`12 rps · 99.5% · p99 45 ms`), drawn as one SVG layer in the
 * viewport rather than inside each React Flow edge: the numbers change every second, and inside
 * the edges that re-rendered every edge through React Flow; here it is one component updating
 * text nodes. Hidden when zoomed so far out that the text could not be read anyway.
 */
import { useStore, ViewportPortal, type ReactFlowState } from '@xyflow/react';
import { formatMs, formatPercent, formatRps } from '../components/format.js';
import { edgeLabel } from './edge-style.js';
import { pointOnCurve, type EdgeCurve } from './flow-dots.js';

const FORMAT = { rps: formatRps, percent: formatPercent, ms: formatMs };
const MIN_READABLE_ZOOM = 0.35;
const readable = (state: ReactFlowState) => state.transform[2] >= MIN_READABLE_ZOOM;

export function EdgeLabels({ curves }: { curves: readonly EdgeCurve[] }) {
  const show = useStore(readable);
  if (!show) return null;
  return (
    <ViewportPortal>
      <svg className="edge-labels" aria-hidden="true">
        {curves.map(({ edge, points }) => {
          const middle = pointOnCurve(points, 0.5);
          return (
            <text
              key={edge.id}
              x={middle.x}
              y={middle.y - 6}
              className={`traffic-label${edge.idle ? ' idle' : ''}`}
              textAnchor="middle"
              data-testid={`edge-label-${edge.id}`}
            >
              {edgeLabel(edge, FORMAT)}
            </text>
          );
        })}
      </svg>
    </ViewportPortal>
  );
}
