/**
 * Node positions that survive updates: the positions kept so far (laid out, or dragged by the user)
 * plus a place for each new node (graph-layout.ts). New placements are remembered after the
 * render that made them, so a node keeps its place even after the nodes around it change.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { placeNodes, type XY } from './graph-layout.js';
import type { GraphModel } from './graph-model.js';

export interface StablePositions {
  positions: ReadonlyMap<string, XY>;
  /** The user moved a node. */
  move: (id: string, position: XY) => void;
  /** Forget every position and lay the graph out afresh. */
  relayout: () => void;
}

export function useStablePositions(graph: GraphModel): StablePositions {
  const [kept, setKept] = useState<ReadonlyMap<string, XY>>(() => new Map());
  const positions = useMemo(() => placeNodes(graph.nodes, graph.edges, kept), [graph, kept]);
  useEffect(() => {
    for (const id of positions.keys()) {
      if (!kept.has(id)) {
        setKept((previous) => new Map([...previous, ...positions]));
        return;
      }
    }
  }, [positions, kept]);
  const move = useCallback((id: string, position: XY) => setKept((previous) => new Map(previous).set(id, position)), []);
  const relayout = useCallback(() => setKept(new Map()), []);
  return { positions, move, relayout };
}
