/**
 * Node positions that survive updates: the positions kept so far (laid out, or dragged by the user)
 * plus a place for each new node (graph-layout.ts). New placements are remembered after the
 * render that made them, so a node keeps its place even after the nodes around it change.
 *
 * One exception keeps the first picture sensible: a node placed while it had no edge (the
 * dashboard often opens before any traffic) was placed blind, so when it gets its first edge it is
 * placed again — unless the user has moved it. A node with edges never moves by itself.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { placeNodes, type XY } from './graph-layout.js';
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

export function useStablePositions(graph: GraphModel): StablePositions {
  const [layout, setLayout] = useState<KeptLayout>(EMPTY_LAYOUT);
  const [relayouts, setRelayouts] = useState(0);
  const positions = useMemo(() => placeNodes(graph.nodes, layoutEdges(graph), positionsToKeep(layout, graph)), [graph, layout]);
  useEffect(() => {
    for (const [id, position] of positions) {
      if (layout.positions.get(id) !== position) {
        setLayout((previous) => rememberPlacements(previous, graph, positions));
        return;
      }
    }
  }, [positions, layout, graph]);
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
