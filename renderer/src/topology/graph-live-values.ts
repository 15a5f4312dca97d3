/**
 * Which of the graph's values change with every stats update and travel through LiveValues
 * (live-values.ts) instead of through React Flow's node and edge objects: each node's summary line
 * and each traffic edge's stroke width and health (a failing edge's success rate hovers around a
 * threshold). What a node or edge shows otherwise (names, node health, versions, shares, instances,
 * idleness) changes rarely and stays in its object and its signature.
 */
import { formatPercent, formatRps } from '../components/format.js';
import { edgeWidth } from './edge-style.js';
import type { GraphModel, GraphNodeData } from './graph-model.js';

export const summaryKey = (nodeId: string) => `summary:${nodeId}`;
export const widthKey = (edgeId: string) => `width:${edgeId}`;
export const healthKey = (edgeId: string) => `health:${edgeId}`;

/** The numbers line of a node: `12 rps · 99.5%` for a service, `12 rps` for a caller, `3 hosts · 12 rps` for the external hosts. */
export function nodeSummary(data: GraphNodeData): string {
  switch (data.kind) {
    case 'service':
      return `${formatRps(data.rps)} · ${formatPercent(data.successRate)}`;
    case 'caller':
      return formatRps(data.rps);
    case 'external':
      return `${data.hosts.length} host${data.hosts.length === 1 ? '' : 's'} · ${formatRps(data.rps)}`;
  }
}

export function liveGraphValues(graph: GraphModel): Map<string, string | number> {
  const values = new Map<string, string | number>();
  for (const node of graph.nodes) values.set(summaryKey(node.id), nodeSummary(node.data));
  for (const edge of graph.edges) {
    values.set(widthKey(edge.id), edgeWidth(edge.rps));
    values.set(healthKey(edge.id), edge.health);
  }
  return values;
}
