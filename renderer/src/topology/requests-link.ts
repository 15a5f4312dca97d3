/**
 * "Show requests here": the request log's address filtered to what a piece of the graph stands
 * for — an edge (its caller, its service, its version), a service, or one version of a service.
 * The grouped external edge stands for every external host its caller reached, so it filters by
 * kind rather than by one service.
 */
import { hrefFor } from '../navigation.js';
import { EXTERNAL_NODE_ID } from './graph-ids.js';
import type { GraphEdge } from './graph-model.js';

export function requestsHrefForEdge(edge: Pick<GraphEdge, 'caller' | 'service' | 'version'>): string {
  if (edge.service === EXTERNAL_NODE_ID) return hrefFor('requests', { caller: edge.caller, kind: 'external' });
  return hrefFor('requests', { caller: edge.caller, service: edge.service, ...(edge.version === null ? {} : { version: edge.version }) });
}

export function requestsHrefForService(service: string, version: string | null = null): string {
  return hrefFor('requests', { service, ...(version === null ? {} : { version }) });
}
