/**
 * A fresh layered layout of the graph's nodes and edges, computed in a worker (layout-worker.ts)
 * while the main thread goes on rendering: null until the answer for this very structure (node ids,
 * sizes and edges, as `layoutKey`) arrives. A stats update keeps the structure, so it asks for
 * nothing; an answer for a structure already replaced is dropped. Where workers do not exist (unit
 * tests) or the worker fails, the layout is computed on the spot, as before the worker.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { layeredLayout, type LayoutEdge, type LayoutNode, type XY } from './graph-layout.js';
import type { LayoutAnswer, LayoutRequest } from './layout-worker.js';

export interface LayoutInput {
  nodes: readonly LayoutNode[];
  edges: readonly LayoutEdge[];
}

/** Everything the layout depends on, as one string. */
export function layoutKey({ nodes, edges }: LayoutInput): string {
  return `${nodes.map((node) => `${node.id}:${node.width}x${node.height}`).join(',')}|${edges.map((edge) => `${edge.source}>${edge.target}`).join(',')}`;
}

interface Layered {
  key: string;
  positions: ReadonlyMap<string, XY>;
}

/**
 * One worker for the page's life, started as the page starts (main.tsx calls startLayoutWorker), or
 * else by the first graph that asks. Loading the worker's script takes about 100 ms on a loaded
 * machine: started by the first graph, that is after the mesh's first state was parsed, the layout
 * of a large mesh waited for it; started with the page, it loads while the page mounts and the mesh
 * sends its state. 'none' where workers do not exist or it could not start.
 */
let sharedWorker: Worker | 'none' | null = null;

export function startLayoutWorker(): void {
  layoutWorker();
}

function layoutWorker(): Worker | 'none' {
  if (sharedWorker !== null) return sharedWorker;
  try {
    sharedWorker = typeof Worker === 'undefined' ? 'none' : new Worker(new URL('./layout-worker.ts', import.meta.url), { type: 'module' });
  } catch {
    sharedWorker = 'none';
  }
  return sharedWorker;
}

/** The layered layout of `input` (null: no layout wanted), or null while the worker computes it. */
export function useLayeredLayout(input: LayoutInput | null): ReadonlyMap<string, XY> | null {
  const key = useMemo(() => (input ? layoutKey(input) : null), [input]);
  const [worker, setWorker] = useState(layoutWorker);
  const [answer, setAnswer] = useState<Layered | null>(null);

  useEffect(() => {
    if (worker === 'none') return;
    const onAnswer = ({ data }: MessageEvent<LayoutAnswer>) => setAnswer({ key: data.key, positions: new Map(data.positions) });
    // A worker that fails is given up for good, and every graph lays out on the spot from then on.
    const onError = () => {
      sharedWorker = 'none';
      setWorker('none');
    };
    worker.addEventListener('message', onAnswer);
    worker.addEventListener('error', onError);
    return () => {
      worker.removeEventListener('message', onAnswer);
      worker.removeEventListener('error', onError);
    };
  }, [worker]);

  // Asked during render, not in an effect: effects run after the commit, and the commit of a large
  // mesh's first render (all its nodes and edges, built hidden) is the very work the layout should
  // overlap. One request per structure, however many renders and stats updates come meanwhile.
  const requested = useRef<string | null>(null);
  if (input && key !== null && worker !== 'none' && requested.current !== key) {
    requested.current = key;
    const request: LayoutRequest = {
      key,
      nodes: input.nodes.map(({ id, width, height }) => ({ id, width, height })),
      edges: input.edges.map(({ source, target }) => ({ source, target })),
    };
    worker.postMessage(request);
  }

  // No worker: the layout is computed here, synchronously, once per structure (not per stats update).
  const local = useRef<Layered | null>(null);
  if (worker === 'none' && input && key !== null && local.current?.key !== key) local.current = { key, positions: layeredLayout(input.nodes, input.edges) };
  const current = worker === 'none' ? local.current : answer;
  return current && current.key === key ? current.positions : null;
}
