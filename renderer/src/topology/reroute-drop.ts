/**
 * What dropping the head of an edge means. Moving a caller's edge from `world@v1` onto `world@v2`
 * is "send all of world's traffic to v2": one reroute. Anything else is refused with a sentence
 * the user sees, and the edge snaps back, because the graph only ever shows the mesh's truth.
 * Pure, so React Flow's isValidConnection (while dragging) and onReconnect (on drop) agree.
 */
import { versionOfHandle } from './graph-geometry.js';

export interface DraggedEdge {
  /** The service node the edge ends at, and the service and version it stands for. */
  target: string;
  service: string;
  version: string | null;
}

export interface Drop {
  target: string | null;
  targetHandle: string | null;
}

export type DropDecision =
  | { kind: 'reroute'; service: string; version: string }
  /** Dropped where it was, or nowhere: nothing to do. */
  | { kind: 'unchanged' }
  | { kind: 'refused'; message: string };

/** `nameOf` turns a node id into what the user reads (`world`, `shell`). */
export function decideDrop(edge: DraggedEdge, drop: Drop, nameOf: (nodeId: string) => string): DropDecision {
  if (drop.target === null) return { kind: 'unchanged' };
  if (drop.target !== edge.target) {
    return {
      kind: 'refused',
      message: `${edge.service}'s traffic can only move to another version of ${edge.service}, not to ${nameOf(drop.target)}.`,
    };
  }
  const version = versionOfHandle(drop.targetHandle);
  if (version === null) return { kind: 'refused', message: `Drop the edge on one of ${edge.service}'s versions.` };
  if (version === edge.version) return { kind: 'unchanged' };
  return { kind: 'reroute', service: edge.service, version };
}
