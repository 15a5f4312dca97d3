/**
 * The edge type: a bezier coloured by health, as thick as its traffic, faded when idle, dashed
 * and without an arrow when the route no longer sends its version anything (edge-recency.ts). What
 * changes every second lives elsewhere — the moving traffic (flow-canvas.tsx) and the numbers
 * (edge-labels.tsx) — so an edge re-renders only when its health, weight or idleness changes.
 */
import { BaseEdge, getBezierPath, type Edge, type EdgeProps, type EdgeTypes } from '@xyflow/react';
import { memo, type CSSProperties } from 'react';
import { edgeWidth } from './edge-style.js';
import type { GraphEdge } from './graph-model.js';

export type TrafficFlowEdge = Edge<GraphEdge, 'traffic'>;

const TrafficEdge = memo(function TrafficEdge(props: EdgeProps<TrafficFlowEdge>) {
  const { id, data, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, markerEnd } = props;
  const [path] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  if (!data) return null;
  const style: CSSProperties = { strokeWidth: edgeWidth(data.rps) };
  const className = `traffic-edge health-${data.health}${data.idle ? ' idle' : ''}${data.retired ? ' retired' : ''}`;
  return (
    <g className={className} data-testid={`edge-${id}`} data-health={data.health} data-idle={data.idle} data-retired={data.retired}>
      <BaseEdge id={id} path={path} style={style} markerEnd={markerEnd} interactionWidth={16} />
    </g>
  );
});

export const EDGE_TYPES: EdgeTypes = { traffic: TrafficEdge };
