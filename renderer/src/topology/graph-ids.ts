/** The ids of the graph's nodes and edges; React Flow and the e2e tests find them by these (`data-id`). */
export const EXTERNAL_NODE_ID = 'external';
export const serviceNodeId = (name: string): string => `svc:${name}`;
export const callerNodeId = (name: string): string => `caller:${name}`;
/** A bypass's edge: `bypass:<pid>:<command>><service>` (the mesh's bypass id). */
export const bypassEdgeId = (bypassId: string): string => `bypass:${bypassId}`;
export const edgeId = (caller: string, service: string, version: string | null): string => `${caller}->${service}${version === null ? '' : `@${version}`}`;
