/**
 * The graph's kept layout (stable-positions.ts) saved in the browser's localStorage, so that the
 * places nodes were given — by the layout, or by the user dragging them — survive a reload and the
 * next visit: the graph comes back as it was left, and a returning user's first render needs no
 * layout at all. Saved per origin, that is per mesh admin address. Only node ids and places are
 * saved, at most MAX_SAVED_NODES of them (the most recently placed); stored text that does not fit
 * is ignored, and the graph is laid out afresh.
 */
import { z } from 'zod';
import type { XY } from './graph-layout.js';
import type { KeptLayout } from './stable-positions.js';

export const SAVED_LAYOUT_KEY = 'meshdesk.topology.layout';
export const MAX_SAVED_NODES = 2_000;

const PINNED = 1;
const PLACED_BLIND = 2;

/** Version 1: one `[id, x, y, flags]` per node; flags: 1 moved by the user, 2 placed before it had edges. */
const savedLayoutSchema = z.object({
  version: z.literal(1),
  nodes: z.array(z.tuple([z.string(), z.number(), z.number(), z.number().int()])).max(MAX_SAVED_NODES),
});

export function serializeLayout(layout: KeptLayout): string {
  const nodes: [string, number, number, number][] = [];
  for (const [id, { x, y }] of layout.positions) {
    const flags = (layout.pinned.has(id) ? PINNED : 0) | (layout.placedBlind.has(id) ? PLACED_BLIND : 0);
    nodes.push([id, x, y, flags]);
  }
  return JSON.stringify({ version: 1, nodes: nodes.slice(-MAX_SAVED_NODES) });
}

/** The layout saved in `text`, or null when there is none or it does not fit. */
export function parseSavedLayout(text: string | null): KeptLayout | null {
  if (text === null) return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const saved = savedLayoutSchema.safeParse(json);
  if (!saved.success || saved.data.nodes.length === 0) return null;
  const positions = new Map<string, XY>();
  const pinned = new Set<string>();
  const placedBlind = new Set<string>();
  for (const [id, x, y, flags] of saved.data.nodes) {
    positions.set(id, { x, y });
    if (flags & PINNED) pinned.add(id);
    if (flags & PLACED_BLIND) placedBlind.add(id);
  }
  // Generation 1: the view fits these places as it fits a fresh layout's.
  return { positions, generation: 1, placedBlind, pinned };
}

/** The saved layout of this origin, or null (none, unreadable, or storage disabled). */
export function loadSavedLayout(): KeptLayout | null {
  try {
    return parseSavedLayout(window.localStorage.getItem(SAVED_LAYOUT_KEY));
  } catch {
    return null;
  }
}

/** Saves `layout`; an empty one removes the saved text. Storage disabled or full: nothing is saved. */
export function saveLayout(layout: KeptLayout): void {
  try {
    if (layout.positions.size === 0) window.localStorage.removeItem(SAVED_LAYOUT_KEY);
    else window.localStorage.setItem(SAVED_LAYOUT_KEY, serializeLayout(layout));
  } catch {
    // The layout still holds for this page's life.
  }
}
