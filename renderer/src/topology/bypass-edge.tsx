/**
 * A bypass on the graph: a thin dashed edge, in a colour no health state uses, from a process (or
 * the service it serves) to the service it calls straight, past the proxy. It carries no traffic
 * numbers (the proxy never saw the calls), only a small "bypass" tag; hovering tells the process,
 * the likely reason and the fix, and a click opens the bypass panel with the same.
 */
import { BaseEdge, getBezierPath, type Edge, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import type { BypassEdge as BypassEdgeData } from './graph-model.js';

export type BypassFlowEdge = Edge<BypassEdgeData, 'bypass'>;

export const BypassEdge = memo(function BypassEdge(props: EdgeProps<BypassFlowEdge>) {
  const { id, data, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, markerEnd } = props;
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  if (!data) return null;
  const { bypass } = data;
  return (
    <g className="bypass-edge" data-testid={`edge-${id}`}>
      <title>{bypassSummary(bypass)}</title>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} interactionWidth={14} />
      <text x={labelX} y={labelY - 5} className="bypass-tag" textAnchor="middle">
        bypass
      </text>
    </g>
  );
});

/** The hover text: who, to what, why, and the fix. */
export function bypassSummary(bypass: BypassEdgeData['bypass']): string {
  return `${bypass.caller} calls ${bypass.service} at ${bypass.instances.join(', ')} past the proxy\n${bypass.reason}\nfix: ${bypass.fix}`;
}
