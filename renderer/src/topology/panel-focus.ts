/**
 * What the view shows while a panel is open. The panel takes about a third of the width, and the
 * whole graph fitted into what is left was drawn too small to read (the fixture mesh's service
 * names fell to about 5 px at 1024×700). So with a panel open the view fits the selection's
 * neighbourhood instead: the selection and whoever calls it always, and what it calls as well when
 * all of that still fits at a readable size. Closing the panel fits the whole graph again.
 */
import { getViewportForBounds } from '@xyflow/react';
import type { Box } from './edge-label-placement.js';
import type { GraphModel } from './graph-model.js';

export interface PanelFocus {
  /** Always in view: the selected node(s) and their callers. */
  core: readonly string[];
  /** In view too when everything still fits at READABLE_ZOOM: what the selection calls. */
  around: readonly string[];
}

export type { Box };

/**
 * The zoom below which the view gives up the `around` nodes. The fixture mesh's whole graph,
 * fitted at 1280×800 with no panel, is drawn at 0.77: a panel should not make the graph smaller
 * than the overview a user has just read.
 */
export const READABLE_ZOOM = 0.75;
/** As FollowLayout fits the view (topology-graph.tsx). */
export const FIT_OPTIONS = { padding: 0.15, maxZoom: 1.2, minZoom: 0.1 } as const;
/**
 * A panel's neighbourhood is drawn at most at its natural size: closer, two nodes filled the canvas
 * and the edges to the rest of the graph, which show where it goes on, were pushed out of view.
 */
export const FOCUS_MAX_ZOOM = 1;

/** A service's panel: the service and its callers, and the services it calls. */
export function serviceFocus(graph: GraphModel, nodeId: string): PanelFocus {
  const callers = new Set<string>();
  const callees = new Set<string>();
  for (const edge of graph.edges) {
    if (edge.target === nodeId && edge.source !== nodeId) callers.add(edge.source);
    if (edge.source === nodeId && edge.target !== nodeId) callees.add(edge.target);
  }
  for (const caller of callers) callees.delete(caller);
  return { core: [nodeId, ...callers], around: [...callees] };
}

/** An edge's panel: the two nodes it joins. */
export function edgeFocus(edge: { source: string; target: string }): PanelFocus {
  return { core: [edge.source, edge.target], around: [] };
}

/** A key that changes only when the nodes to keep in view change, not with every stats update. */
export function focusKey(focus: PanelFocus | null): string {
  return focus ? `${focus.core.join(',')}|${focus.around.join(',')}` : '';
}

/**
 * The nodes to fit a view of `view`'s size to: the core and the around nodes when together they fit
 * at READABLE_ZOOM or closer, else the core alone (however small that makes it: the callers of
 * what the panel describes are never cut off). Nodes not placed yet are left out.
 */
export function nodesToFit(focus: PanelFocus, boxOf: (id: string) => Box | undefined, view: { width: number; height: number }): string[] {
  const placed = (ids: readonly string[]) => ids.filter((id) => boxOf(id) !== undefined);
  const core = placed(focus.core);
  const wide = [...core, ...placed(focus.around)];
  if (wide.length === core.length) return core;
  const bounds = unionOf(wide.map((id) => boxOf(id) as Box));
  const { zoom } = getViewportForBounds(bounds, view.width, view.height, FIT_OPTIONS.minZoom, FOCUS_MAX_ZOOM, FIT_OPTIONS.padding);
  return zoom >= READABLE_ZOOM ? wide : core;
}

/** The smallest box around all of `boxes` (at least one). */
export function unionOf(boxes: readonly Box[]): Box {
  let left = Infinity;
  let top = Infinity;
  let right = -Infinity;
  let bottom = -Infinity;
  for (const box of boxes) {
    left = Math.min(left, box.x);
    top = Math.min(top, box.y);
    right = Math.max(right, box.x + box.width);
    bottom = Math.max(bottom, box.y + box.height);
  }
  return { x: left, y: top, width: right - left, height: bottom - top };
}
