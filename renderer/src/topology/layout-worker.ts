/**
 * The layered layout (graph-layout.ts) in a Web Worker. dagre, which lays out meshes under 100
 * nodes, takes up to a few hundred milliseconds: on the main thread that was one long task at the
 * first render, with the page frozen meanwhile. Here it runs while the main thread builds the
 * graph's nodes and edges (drawn once placed, see use-layered-layout.ts). Messages: a LayoutRequest
 * in, a LayoutAnswer out.
 */
import { layeredLayout, type LayoutEdge, type LayoutNode, type XY } from './graph-layout.js';

export interface LayoutRequest {
  key: string;
  nodes: LayoutNode[];
  edges: LayoutEdge[];
}

export interface LayoutAnswer {
  key: string;
  positions: [string, XY][];
}

// A dedicated worker's scope; this project's web types are the DOM's, not the worker's.
const scope = self as unknown as { onmessage: ((event: MessageEvent<LayoutRequest>) => void) | null; postMessage(answer: LayoutAnswer): void };

scope.onmessage = ({ data: { key, nodes, edges } }) => {
  scope.postMessage({ key, positions: [...layeredLayout(nodes, edges)] });
};
