/**
 * The edge type: a bezier coloured by health, as thick as its traffic, faded when idle; the
 * traffic moving along it is drawn by flow-canvas.tsx. The label is SVG text, not an HTML
 * overlay: hundreds of edges stay cheap to render.
 */
import { BaseEdge, getBezierPath, type Edge, type EdgeProps, type EdgeTypes } from '@xyflow/react';
import { memo, type CSSProperties } from 'react';
import { formatMs, formatPercent, formatRps } from '../components/format.js';
import { edgeLabel, edgeWidth } from './edge-style.js';
import type { GraphEdge } from './graph-model.js';

export type TrafficFlowEdge = Edge<GraphEdge, 'traffic'>;

const FORMAT = { rps: formatRps, percent: formatPercent, ms: formatMs };

const TrafficEdge = memo(function TrafficEdge(props: EdgeProps<TrafficFlowEdge>) {
  const { id, data, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, markerEnd } = props;
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  if (!data) return null;
  const style: CSSProperties = { strokeWidth: edgeWidth(data.rps) };
  const className = `traffic-edge health-${data.health}${data.idle ? ' idle' : ''}`;
  return (
    <g className={className} data-testid={`edge-${id}`} data-health={data.health} data-idle={data.idle}>
      <BaseEdge id={id} path={path} style={style} markerEnd={markerEnd} interactionWidth={16} />
      <text x={labelX} y={labelY - 6} className="traffic-label" textAnchor="middle" data-testid={`edge-label-${id}`}>
        {edgeLabel(data, FORMAT)}
      </text>
    </g>
  );
});

export const EDGE_TYPES: EdgeTypes = { traffic: TrafficEdge };
