/**
 * The edge type: a bezier coloured by health, as thick as its traffic, faded when idle, dashed
 * and without an arrow when the route no longer sends its version anything (edge-recency.ts). What
 * changes every second lives elsewhere — the moving traffic (flow-canvas.tsx), the numbers
 * (edge-labels.tsx), and the width and health (graph-live-values.ts), which reach this component
 * without replacing the edge's object — so React Flow re-renders an edge only when it goes idle or
 * is retired. The arrowheads are this module's markers, one per health, so a change of health
 * does not make React Flow rebuild its marker list either.
 */
import { BaseEdge, getBezierPath, type Edge, type EdgeProps, type EdgeTypes } from '@xyflow/react';
import { memo, type CSSProperties } from 'react';
import { edgeWidth, type Palette } from './edge-style.js';
import { healthKey, widthKey } from './graph-live-values.js';
import { useLiveValue } from './live-values.js';
import type { GraphEdge, Health } from './graph-model.js';

const HEALTHS: readonly Health[] = ['good', 'warn', 'bad', 'none'];
const arrowId = (health: string) => `topology-arrow-${health}`;

export type TrafficFlowEdge = Edge<GraphEdge, 'traffic'>;

const TrafficEdge = memo(function TrafficEdge(props: EdgeProps<TrafficFlowEdge>) {
  const { id, data, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition } = props;
  const [path] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const width = useLiveValue(widthKey(id), data ? edgeWidth(data.rps) : 0);
  const health = useLiveValue(healthKey(id), data?.health ?? 'none');
  if (!data) return null;
  const style: CSSProperties = { strokeWidth: width };
  const className = `traffic-edge health-${health}${data.idle ? ' idle' : ''}${data.retired ? ' retired' : ''}`;
  // History (a version the route sends nothing) points nowhere.
  const markerEnd = data.retired ? undefined : `url(#${arrowId(health)})`;
  // The class and the data attributes go on the drawn path itself (BaseEdge passes them on), not on
  // a group of their own around it: a large mesh mounts hundreds of edges at once, and each element
  // and attribute less is part of its first render.
  return (
    <BaseEdge
      path={path}
      style={style}
      markerEnd={markerEnd}
      interactionWidth={16}
      className={className}
      data-testid={`edge-${id}`}
      data-health={health}
      data-idle={data.idle}
      data-retired={data.retired}
    />
  );
});

export const EDGE_TYPES: EdgeTypes = { traffic: TrafficEdge };

/** The arrowheads of the traffic edges, one per health, drawn as React Flow's closed arrow (14 px, scaled with the stroke). */
export function TrafficArrowMarkers({ palette }: { palette: Palette }) {
  return (
    <svg className="traffic-markers" aria-hidden="true">
      <defs>
        {HEALTHS.map((health) => (
          <marker key={health} id={arrowId(health)} markerWidth="14" markerHeight="14" viewBox="-10 -10 20 20" orient="auto-start-reverse" refX="0" refY="0">
            <polyline
              style={{ stroke: palette.health[health], fill: palette.health[health], strokeWidth: 1 }}
              strokeLinecap="round"
              strokeLinejoin="round"
              points="-5,-4 0,0 -5,4 -5,-4"
            />
          </marker>
        ))}
      </defs>
    </svg>
  );
}
