/**
 * A layered left-to-right layout for large meshes, in near-linear time. dagre's full Sugiyama
 * pipeline (ranks by tight tree, 24 sweeps of crossing reduction over a dummy node per rank an edge
 * spans, Brandes–Köpf coordinates) took 600–700 ms for the 200-service bench mesh in Node and about
 * a second in the dashboard's worker: the longest step of that mesh's first render. Large meshes are
 * fitted far too small to read anyway, so from LARGE_MESH_NODES on (graph-layout.ts) the same
 * layers are drawn by the cheaper steps below, each the textbook version of dagre's:
 *
 * 1. Ranks: cycles broken where a depth-first search meets a node on its own path; then each node's
 *    rank is its longest path from a node nobody calls (callers first, as in dagre).
 * 2. Order within a rank: barycentre sweeps, down then up, each node sorted by the mean relative
 *    position of its neighbours in any rank (no dummy nodes: a long edge pulls its ends together).
 * 3. Coordinates: columns as wide as their widest node, `rankSep` apart; in each column the nodes
 *    stacked in order, `nodeSep` apart, each pulled towards the median height of its callers and the
 *    column shifted so that, on average, it sits where its callers are.
 *
 * Deterministic: the same nodes and edges give the same positions. Positions are top-left corners.
 */
import type { LayoutEdge, LayoutNode, XY } from './graph-layout.js';

export interface LayerSpacing {
  nodeSep: number;
  rankSep: number;
  margin: number;
}

/** Enough for the orders to settle on the bench meshes; each sweep costs O((V + D) log (V + D)), D the virtual nodes. */
const ORDER_SWEEPS = 16;
const COORDINATE_PASSES = 3;

export function fastLayeredLayout(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[], spacing: LayerSpacing): Map<string, XY> {
  const index = new Map(nodes.map((node, i) => [node.id, i]));
  const { successors, predecessors } = adjacency(nodes.length, edges, index);
  const rank = ranks(nodes.length, successors);
  const layers = orderLayers(rank, successors);
  return coordinates(nodes, layers, rank, { successors, predecessors }, spacing);
}

function adjacency(count: number, edges: readonly LayoutEdge[], index: ReadonlyMap<string, number>) {
  const successors: number[][] = Array.from({ length: count }, () => []);
  const predecessors: number[][] = Array.from({ length: count }, () => []);
  const seen = new Set<number>();
  for (const edge of edges) {
    const from = index.get(edge.source);
    const to = index.get(edge.target);
    if (from === undefined || to === undefined || from === to) continue;
    const key = from * count + to;
    if (seen.has(key)) continue;
    seen.add(key);
    successors[from]?.push(to);
    predecessors[to]?.push(from);
  }
  return { successors, predecessors };
}

/** Longest path from the sources, over the edges left once a DFS has dropped those closing a cycle. */
function ranks(count: number, successors: readonly number[][]): Int32Array {
  const state = new Uint8Array(count); // 0 unseen, 1 on the current path, 2 done
  const postorder: number[] = [];
  const forward: number[][] = Array.from({ length: count }, () => []);
  for (let root = 0; root < count; root++) {
    if (state[root] !== 0) continue;
    // Iterative DFS: a stack of (node, next successor to look at).
    const stack: [number, number][] = [[root, 0]];
    state[root] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as [number, number];
      const [node, next] = top;
      const out = successors[node] as number[];
      if (next < out.length) {
        top[1] = next + 1;
        const to = out[next] as number;
        if (state[to] === 1) continue; // closes a cycle: not used for ranking
        (forward[node] as number[]).push(to);
        if (state[to] === 0) {
          state[to] = 1;
          stack.push([to, 0]);
        }
      } else {
        state[node] = 2;
        postorder.push(node);
        stack.pop();
      }
    }
  }
  const rank = new Int32Array(count);
  // Reverse postorder is a topological order of the forward edges.
  for (let i = postorder.length - 1; i >= 0; i--) {
    const node = postorder[i] as number;
    for (const to of forward[node] as number[]) rank[to] = Math.max(rank[to] as number, (rank[node] as number) + 1);
  }
  // Then, right to left, each node that calls others moves right up to the nearest of them, when
  // it has more of them than callers: fewer long edges, as network simplex would rank it.
  const callers = new Int32Array(count);
  for (const node of postorder) for (const to of forward[node] as number[]) callers[to] = (callers[to] as number) + 1;
  for (const node of postorder) {
    const out = forward[node] as number[];
    if (out.length === 0 || out.length <= (callers[node] as number)) continue;
    const nearest = out.reduce((min, to) => Math.min(min, rank[to] as number), Infinity);
    rank[node] = Math.max(rank[node] as number, nearest - 1);
  }
  return rank;
}

/**
 * The real nodes of each rank, top to bottom. Ordered as dagre orders them: an edge that spans
 * several ranks gets a virtual node in each rank between its ends, so that it counts in every
 * layer it passes; sweeps of the barycentre heuristic, down then up, keep the order with the fewest
 * crossings between adjacent layers (counted, as the virtual nodes make every edge adjacent).
 * Also dagre's ordering step for smaller meshes (graph-layout.ts), on its graph of ranked nodes.
 */
export function orderLayers(rank: Int32Array, successors: readonly number[][]): number[][] {
  const real = rank.length;
  // Chains of virtual nodes: down[v] and up[v] are v's neighbours one rank right and left.
  const down: number[][] = Array.from({ length: real }, () => []);
  const up: number[][] = Array.from({ length: real }, () => []);
  const rankOf: number[] = Array.from(rank);
  const link = (from: number, to: number) => {
    (down[from] as number[]).push(to);
    (up[to] as number[]).push(from);
  };
  successors.forEach((targets, from) => {
    for (const to of targets) {
      const [left, right] = (rank[from] as number) < (rank[to] as number) ? [from, to] : [to, from];
      if (rankOf[left] === rankOf[right]) continue;
      let previous = left;
      for (let r = (rankOf[left] as number) + 1; r < (rankOf[right] as number); r++) {
        const virtual = rankOf.length;
        rankOf.push(r);
        down.push([]);
        up.push([]);
        link(previous, virtual);
        previous = virtual;
      }
      link(previous, right);
    }
  });
  const layers: number[][] = [];
  rankOf.forEach((r, node) => (layers[r] ??= []).push(node));
  for (let r = 0; r < layers.length; r++) layers[r] ??= [];
  const place = new Float64Array(rankOf.length);
  const measure = (layer: number[]) => layer.forEach((node, i) => (place[node] = i));
  layers.forEach(measure);
  // One key array for every sweep: allocating one per layer per sweep (92 ranks × 16 sweeps on the
  // bench mesh) was most of this step's time in a fresh worker, through the garbage collector.
  const key = new Float64Array(rankOf.length);
  const byKey = (a: number, b: number) => (key[a] as number) - (key[b] as number);
  const sweep = (layer: number[], neighbours: readonly number[][], from: number[]) => {
    const scale = layer.length / Math.max(from.length, 1);
    for (const node of layer) {
      const around = neighbours[node] as number[];
      if (around.length === 0) {
        key[node] = place[node] as number;
        continue;
      }
      let sum = 0;
      for (const other of around) sum += place[other] as number;
      key[node] = (sum / around.length) * scale;
    }
    // Stable: ties keep their current order.
    layer.sort(byKey);
    measure(layer);
  };
  let best = layers.map((layer) => [...layer]);
  let fewest = layerCrossings(layers, down, place);
  for (let pass = 0; pass < ORDER_SWEEPS; pass++) {
    if (pass % 2 === 0) for (let r = 1; r < layers.length; r++) sweep(layers[r] as number[], up, layers[r - 1] as number[]);
    else for (let r = layers.length - 2; r >= 0; r--) sweep(layers[r] as number[], down, layers[r + 1] as number[]);
    const count = layerCrossings(layers, down, place);
    if (count < fewest) {
      fewest = count;
      best = layers.map((layer) => [...layer]);
    }
  }
  return best.map((layer) => layer.filter((node) => node < real));
}

/** Crossings between each pair of adjacent layers: inversions among the edges' lower ends, ordered by their upper ends. */
function layerCrossings(layers: readonly number[][], down: readonly number[][], place: Float64Array): number {
  let total = 0;
  // A Fenwick tree over positions in the next layer, reused for every pair of layers.
  const widest = layers.reduce((max, layer) => Math.max(max, layer.length), 0);
  const tree = new Int32Array(widest + 1);
  const ends: number[] = [];
  for (let r = 0; r + 1 < layers.length; r++) {
    ends.length = 0;
    for (const node of layers[r] as number[]) {
      const targets = down[node] as number[];
      const from = ends.length;
      for (const to of targets) ends.push(place[to] as number);
      // A node's own ends in order of position: they do not cross each other.
      if (targets.length > 1) sortRange(ends, from, ends.length);
    }
    // For each end, how many earlier ends lie below it.
    const size = (layers[r + 1] as number[]).length;
    tree.fill(0, 0, size + 1);
    let seen = 0;
    for (const end of ends) {
      let atOrBelow = 0;
      for (let i = end + 1; i > 0; i -= i & -i) atOrBelow += tree[i] as number;
      total += seen - atOrBelow;
      for (let i = end + 1; i <= size; i += i & -i) tree[i] = (tree[i] as number) + 1;
      seen++;
    }
  }
  return total;
}

/** Insertion sort of values[from, to): a node has few targets. */
function sortRange(values: number[], from: number, to: number): void {
  for (let i = from + 1; i < to; i++) {
    const value = values[i] as number;
    let j = i - 1;
    while (j >= from && (values[j] as number) > value) {
      values[j + 1] = values[j] as number;
      j--;
    }
    values[j + 1] = value;
  }
}

function coordinates(
  nodes: readonly LayoutNode[],
  layers: readonly number[][],
  rank: Int32Array,
  { successors, predecessors }: { successors: readonly number[][]; predecessors: readonly number[][] },
  { nodeSep, rankSep, margin }: LayerSpacing,
): Map<string, XY> {
  const width = (node: number) => (nodes[node] as LayoutNode).width;
  const height = (node: number) => (nodes[node] as LayoutNode).height;
  const columnX: number[] = [];
  let x = margin;
  for (const layer of layers) {
    const widest = layer.reduce((max, node) => Math.max(max, width(node)), 0);
    columnX.push(x + widest / 2);
    x += widest + rankSep;
  }
  // Centres: first stacked, then pulled towards their callers.
  const centre = new Float64Array(nodes.length);
  for (const layer of layers) {
    let y = 0;
    for (const node of layer) {
      centre[node] = y + height(node) / 2;
      y += height(node) + nodeSep;
    }
  }
  // Alternately towards callers (left to right) and towards callees (right to left), ending with callers.
  for (let pass = 0; pass < COORDINATE_PASSES; pass++) {
    const towardsCallers = (COORDINATE_PASSES - 1 - pass) % 2 === 0;
    const columns = towardsCallers ? layers : [...layers].reverse();
    for (const layer of columns) {
      const wanted = layer.map((node) => {
        const around = towardsCallers
          ? (predecessors[node] as number[]).filter((other) => (rank[other] as number) < (rank[node] as number))
          : (successors[node] as number[]).filter((other) => (rank[other] as number) > (rank[node] as number));
        return around.length === 0 ? (centre[node] as number) : median(around.map((other) => centre[other] as number));
      });
      // Top to bottom, each as near its wish as the one above allows; then the whole column moved
      // by the mean of what that pushing cost, so it is not all pushed below its neighbours.
      let bottom = -Infinity;
      let drift = 0;
      layer.forEach((node, i) => {
        const top = Math.max((wanted[i] as number) - height(node) / 2, bottom + nodeSep);
        centre[node] = top + height(node) / 2;
        bottom = top + height(node);
        drift += (centre[node] as number) - (wanted[i] as number);
      });
      const shift = layer.length === 0 ? 0 : drift / layer.length;
      for (const node of layer) centre[node] = (centre[node] as number) - shift;
    }
  }
  let top = Infinity;
  nodes.forEach((_, node) => (top = Math.min(top, (centre[node] as number) - height(node) / 2)));
  const positions = new Map<string, XY>();
  nodes.forEach((layoutNode, node) => {
    positions.set(layoutNode.id, {
      x: Math.round((columnX[rank[node] as number] as number) - width(node) / 2),
      y: Math.round((centre[node] as number) - height(node) / 2 - top + margin),
    });
  });
  return positions;
}

function median(values: number[]): number {
  const sorted = values.sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
