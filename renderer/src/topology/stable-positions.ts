/**
 * Node positions that survive updates: the positions kept so far (laid out, or dragged by the user)
 * plus a place for each new node (graph-layout.ts; the layered layout is computed in a worker,
 * use-layered-layout.ts, and until it arrives a new node has no position and is not drawn). New
 * placements are remembered after the render that made them, so a node keeps its place even after
 * the nodes around it change.
 *
 * One exception keeps the first picture sensible: a node placed while it had no edge (the
 * dashboard often opens before any traffic) was placed blind, so when it gets its first edge it is
 * placed again — unless the user has moved it. A node with edges never moves by itself.
 *
 * The kept layout is saved in the browser (saved-layout.ts) a moment after it changes, and is where
 * the graph starts on the next load.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { placeNodes, type XY } from './graph-layout.js';
import { loadSavedLayout, saveLayout } from './saved-layout.js';
import { useLayeredLayout } from './use-layered-layout.js';
import type { GraphModel } from './graph-model.js';

export interface StablePositions {
  positions: ReadonlyMap<string, XY>;
  /** Grows each time nodes were placed by the layout (not by the user): the view may refit then. */
  generation: number;
  /** Grows each time the user asked for a fresh layout. */
  relayouts: number;
  /** The user moved a node. */
  move: (id: string, position: XY) => void;
  /** Forget every position and lay the graph out afresh. */
  relayout: () => void;
}

export interface KeptLayout {
  positions: ReadonlyMap<string, XY>;
  /** How many times the layout placed nodes. */
  generation: number;
  /** Nodes that had no edge when they were placed. */
  placedBlind: ReadonlySet<string>;
  /** Nodes the user moved: never moved again automatically. */
  pinned: ReadonlySet<string>;
}

export const EMPTY_LAYOUT: KeptLayout = { positions: new Map(), generation: 0, placedBlind: new Set(), pinned: new Set() };

/** The positions to keep for this graph: all kept ones, minus blind placements that now have edges. */
export function positionsToKeep(layout: KeptLayout, graph: GraphModel): ReadonlyMap<string, XY> {
  // The common case, every node placed with its edges: nothing to walk on each stats update.
  if (layout.placedBlind.size === 0) return layout.positions;
  const connected = connectedNodes(graph);
  let kept: Map<string, XY> | null = null;
  for (const id of layout.placedBlind) {
    if (!connected.has(id) || layout.pinned.has(id) || !layout.positions.has(id)) continue;
    kept ??= new Map(layout.positions);
    kept.delete(id);
  }
  return kept ?? layout.positions;
}

/** The layout after `positions` were computed for `graph`: new placements remembered, with whether they were blind. */
export function rememberPlacements(layout: KeptLayout, graph: GraphModel, positions: ReadonlyMap<string, XY>): KeptLayout {
  const connected = connectedNodes(graph);
  const placedBlind = new Set(layout.placedBlind);
  for (const id of positions.keys()) {
    if (layout.positions.get(id) === positions.get(id)) continue;
    if (connected.has(id)) placedBlind.delete(id);
    else placedBlind.add(id);
  }
  return { positions: new Map([...layout.positions, ...positions]), generation: layout.generation + 1, placedBlind, pinned: layout.pinned };
}

function samePlaces(a: ReadonlyMap<string, XY>, b: ReadonlyMap<string, XY>): boolean {
  if (a.size !== b.size) return false;
  for (const [id, at] of b) if (a.get(id) !== at) return false;
  return true;
}

function connectedNodes(graph: GraphModel): Set<string> {
  const connected = new Set<string>();
  for (const edge of layoutEdges(graph)) {
    connected.add(edge.source);
    connected.add(edge.target);
  }
  return connected;
}

/** Traffic edges and bypass edges alike place their nodes: a bypassing process sits before the service it calls. */
function layoutEdges(graph: GraphModel): { source: string; target: string }[] {
  return graph.bypasses?.length ? [...graph.edges, ...graph.bypasses] : graph.edges;
}

/** After the last change: a drag changes the layout on every move, and only where it ends matters. */
const SAVE_DELAY_MS = 500;

export function useStablePositions(graph: GraphModel): StablePositions {
  const [layout, setLayout] = useState<KeptLayout>(() => loadSavedLayout() ?? EMPTY_LAYOUT);
  const loaded = useRef(layout);
  useEffect(() => {
    if (layout === loaded.current) return;
    const timer = setTimeout(() => saveLayout(layout), SAVE_DELAY_MS);
    // A reload right after a drag still keeps where it ended.
    const onPageHide = () => saveLayout(layout);
    window.addEventListener('pagehide', onPageHide);
    return () => {
      clearTimeout(timer);
      window.removeEventListener('pagehide', onPageHide);
    };
  }, [layout]);
  const [relayouts, setRelayouts] = useState(0);
  const kept = useMemo(() => positionsToKeep(layout, graph), [layout, graph]);
  const needsLayout = graph.nodes.some((node) => !kept.has(node.id));
  const layoutInput = useMemo(() => (needsLayout ? { nodes: graph.nodes, edges: layoutEdges(graph) } : null), [needsLayout, graph]);
  const layered = useLayeredLayout(layoutInput);
  const pending = needsLayout && layered === null;
  // The previous map while every node keeps its place: a new map with the same places makes all that
  // is drawn from the positions be recomputed (remembering the first layout did it all twice).
  const lastPlaced = useRef<ReadonlyMap<string, XY>>(EMPTY_LAYOUT.positions);
  const positions = useMemo(() => {
    // While the worker lays out, kept nodes stay, nodes being placed again (a re-layout) stay where
    // they were last drawn, and new nodes wait, unplaced (not drawn).
    const placed = pending ? waitingPlaces(graph, kept, lastPlaced.current) : placeNodes(graph.nodes, layoutEdges(graph), kept, layered ?? undefined);
    return samePlaces(lastPlaced.current, placed) ? lastPlaced.current : placed;
  }, [graph, kept, pending, layered]);
  useLayoutEffect(() => {
    lastPlaced.current = positions;
  }, [positions]);
  useEffect(() => {
    if (pending) return;
    for (const [id, position] of positions) {
      if (layout.positions.get(id) !== position) {
        setLayout((previous) => rememberPlacements(previous, graph, positions));
        return;
      }
    }
  }, [positions, layout, graph, pending]);
  const move = useCallback(
    (id: string, position: XY) =>
      setLayout((previous) => ({ ...previous, positions: new Map(previous.positions).set(id, position), pinned: new Set(previous.pinned).add(id) })),
    [],
  );
  const relayout = useCallback(() => {
    setLayout((previous) => ({ ...EMPTY_LAYOUT, generation: previous.generation }));
    setRelayouts((count) => count + 1);
  }, []);
  return { positions, generation: layout.generation, relayouts, move, relayout };
}

function waitingPlaces(graph: GraphModel, kept: ReadonlyMap<string, XY>, drawn: ReadonlyMap<string, XY>): Map<string, XY> {
  const places = new Map<string, XY>();
  for (const { id } of graph.nodes) {
    const at = kept.get(id) ?? drawn.get(id);
    if (at) places.set(id, at);
  }
  return places;
}
