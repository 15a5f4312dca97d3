/**
 * The live topology in React Flow. Everything it shows comes from props (the graph model built from
 * the mesh's pushed state, and the kept positions); it holds no truth of its own. Dragging the head
 * of an edge to another version of the same service is the one edit: isValidConnection lights up
 * only those targets, a drop calls `onReroute` once, and the edge itself never changes here — it
 * moves when the mesh's answer and the next stats say the traffic moved. A refused drop lets React
 * Flow snap the edge back and tells the user why.
 */
import {
  Background,
  Controls,
  MarkerType,
  Position,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  useStore,
  type Connection,
  type Edge,
  type EdgeTypes,
  type FinalConnectionState,
  type IsValidConnection,
  type NodeChange,
  type ReactFlowState,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useCallback, useLayoutEffect, useMemo, useRef, useState, type MouseEvent as ReactMouseEvent } from 'react';
import { PALETTES } from './edge-style.js';
import { liveGraphValues } from './graph-live-values.js';
import { LiveValues, LiveValuesContext } from './live-values.js';
import { handleBoxes, SOURCE_HANDLE } from './graph-geometry.js';
import { EXTERNAL_NODE_ID, type GraphEdge, type GraphModel, type GraphNode } from './graph-model.js';
import type { XY } from './graph-layout.js';
import { OverviewCanvas, OverviewTooltip } from './overview-canvas.js';
import { isLargeMesh, nodeAt, OVERVIEW_MIN_ZOOM, overviewScene, showsOverview, type OverviewNode } from './overview-scene.js';
import { FIT_OPTIONS } from './panel-focus.js';
import { NODE_TYPES, nodeSignature, type FlowNode } from './graph-nodes.js';
import { decideDrop, type DraggedEdge } from './reroute-drop.js';
import type { Box, PanelFocus } from './panel-focus.js';
import { FollowLayout, RevealSelected } from './view-follow.js';
import { FlowCanvas } from './flow-canvas.js';
import { edgeCurves, flowPaths } from './flow-dots.js';
import { EdgeLabels } from './edge-labels.js';
import { EDGE_TYPES, TrafficArrowMarkers, type TrafficFlowEdge } from './traffic-edge.js';
import { BypassEdge, type BypassFlowEdge } from './bypass-edge.js';
import type { BypassEdge as BypassEdgeModel } from './graph-model.js';

type FlowEdge = TrafficFlowEdge | BypassFlowEdge;
/** Module level, as React Flow asks: a new object per render would remount every edge. */
const FLOW_EDGE_TYPES: EdgeTypes = { ...EDGE_TYPES, bypass: BypassEdge };

export interface TopologyGraphProps {
  graph: GraphModel;
  positions: ReadonlyMap<string, XY>;
  /** Counters from useStablePositions: the view refits when the layout placed nodes. */
  layout: { generation: number; relayouts: number };
  onMove: (id: string, position: XY) => void;
  selected: string | null;
  /** While a panel is open, the nodes its view keeps in sight (panel-focus.ts); null fits the whole graph. */
  focus: PanelFocus | null;
  onSelect: (nodeId: string | null) => void;
  /** A click on an edge (not on its head, which drags). */
  onSelectEdge: (edgeId: string) => void;
  onReroute: (service: string, version: string) => void;
  onRefused: (message: string) => void;
  theme: 'light' | 'dark';
}

/** Where a node waits, hidden, until the layout places it. */
const UNPLACED: XY = { x: 0, y: 0 };
const NO_NODES: FlowNode[] = [];
const NO_EDGES: FlowEdge[] = [];
const NO_TRAFFIC_EDGES: TrafficFlowEdge[] = [];

export function TopologyGraph(props: TopologyGraphProps) {
  return (
    <ReactFlowProvider>
      <Flow {...props} />
    </ReactFlowProvider>
  );
}

function Flow({ graph, positions, layout, onMove, selected, focus, onSelect, onSelectEdge, onReroute, onRefused, theme }: TopologyGraphProps) {
  const palette = PALETTES[theme];
  // Edge labels wait until the view is fitted (or taken in hand): placing hundreds of them at the
  // initial zoom, only to hide them once a large mesh is fitted, cost ~150 ms of the first render.
  // So does a large mesh's mount: it is drawn as the overview until then.
  const [viewSettled, setViewSettled] = useState(false);
  const large = isLargeMesh(graph.nodes.length);
  const zoomedOut = useStore((state: ReactFlowState) => showsOverview(graph.nodes.length, state.transform[2]));
  const overview = large && (zoomedOut || !viewSettled);
  // A large mesh's first layout takes milliseconds (fast-layered-layout.ts), and mounting its
  // hundreds of nodes and edges, hidden, only to move every one of them once placed cost a second
  // pass of about a quarter of that mount: they are mounted once, placed. A small mesh's layout
  // (dagre) takes longer than its mount, so it is still mounted while the layout runs.
  const mountLater = positions.size === 0 && large;
  // Nothing is handed to React Flow then, so nothing is built for it either (a stats update a second).
  const mountNone = mountLater || overview;
  // Nodes and edges whose position and displayed values did not change keep their objects, so a
  // stats update or a drag re-renders only what changed (React Flow compares by identity).
  const previousNodes = useRef<ReadonlyMap<string, { signature: string; node: FlowNode }>>(new Map());
  const nodes = useMemo(() => {
    if (mountNone) return NO_NODES;
    const next = new Map<string, { signature: string; node: FlowNode }>();
    const list = graph.nodes.map((node): FlowNode => {
      // A node still being laid out (use-layered-layout.ts) is built already, and shown once placed.
      const position = positions.get(node.id) ?? UNPLACED;
      const isSelected = node.id === selected;
      const signature = nodeSignature(node.data);
      const old = previousNodes.current.get(node.id);
      const flowNode =
        old && old.signature === signature && old.node.position === position && old.node.selected === isSelected
          ? old.node
          : toFlowNode(node, position, isSelected);
      next.set(node.id, { signature, node: flowNode });
      return flowNode;
    });
    previousNodes.current = next;
    return list;
  }, [graph, positions, selected, mountNone]);
  const stableNodes = useSameArray(nodes);
  const previousEdges = useRef<ReadonlyMap<string, { signature: string; edge: TrafficFlowEdge }>>(new Map());
  const edges = useMemo(() => {
    if (mountNone) return NO_TRAFFIC_EDGES;
    const next = new Map<string, { signature: string; edge: TrafficFlowEdge }>();
    const list = graph.edges.map((edge): TrafficFlowEdge => {
      // Not the width nor the health: they change with many stats updates and reach the edge by themselves.
      // While the whole graph waits for its first layout the graph hides as a whole, so its edges'
      // objects need not all be replaced (and React Flow's lookups rebuilt) when it is placed.
      const placed = positions.size === 0 || (positions.has(edge.source) && positions.has(edge.target));
      const signature = `${edge.idle}|${edge.retired}|${placed}`;
      const old = previousEdges.current.get(edge.id);
      const flowEdge = old && old.signature === signature ? old.edge : toFlowEdge(edge, placed);
      next.set(edge.id, { signature, edge: flowEdge });
      return flowEdge;
    });
    previousEdges.current = next;
    return list;
  }, [graph, positions, mountNone]);
  const previousBypasses = useRef<ReadonlyMap<string, { signature: string; edge: BypassFlowEdge }>>(new Map());
  const bypassEdges = useMemo(() => {
    const next = new Map<string, { signature: string; edge: BypassFlowEdge }>();
    const list = (graph.bypasses ?? []).map((edge): BypassFlowEdge => {
      const { bypass } = edge;
      const signature = `${edge.source}|${edge.targetHandle}|${bypass.reason}|${bypass.fix}|${bypass.instances.join(',')}`;
      const old = previousBypasses.current.get(edge.id);
      const flowEdge = old && old.signature === signature ? old.edge : toBypassFlowEdge(edge);
      next.set(edge.id, { signature, edge: flowEdge });
      return flowEdge;
    });
    previousBypasses.current = next;
    return list;
  }, [graph]);
  const stableEdges = useSameArray<FlowEdge>(useMemo(() => (bypassEdges.length === 0 ? edges : [...edges, ...bypassEdges]), [edges, bypassEdges]));

  const [live] = useState(() => new LiveValues());
  const liveValues = useMemo(() => liveGraphValues(graph), [graph]);
  useLayoutEffect(() => live.publish(liveValues), [live, liveValues]);

  const curves = useMemo(() => edgeCurves(graph, positions), [graph, positions]);
  // The overview is a map of a mesh too large to read: its dots would be specks, and moving them kept
  // Chromium at a fifth of a core (software rendering, 200/600) for nothing one can follow. They
  // move again once zoomed in to where the mesh is drawn as nodes.
  const paths = useMemo(() => (overview ? [] : flowPaths(curves)), [overview, curves]);

  // Read through a ref, so the reconnect handlers below keep their identity across stats updates
  // (React Flow passes them to every edge: a new one re-renders them all).
  const latestGraph = useRef(graph);
  const latestPositions = useRef(positions);
  useLayoutEffect(() => {
    latestGraph.current = graph;
    latestPositions.current = positions;
  }, [graph, positions]);
  const boxOf = useCallback((id: string): Box | undefined => {
    const at = latestPositions.current.get(id);
    const node = at && latestGraph.current.nodes.find((candidate) => candidate.id === id);
    return at && node ? { x: at.x, y: at.y, width: node.width, height: node.height } : undefined;
  }, []);
  const allBoxes = useCallback(
    () =>
      latestGraph.current.nodes.flatMap((node) => {
        const at = latestPositions.current.get(node.id);
        return at ? [{ x: at.x, y: at.y, width: node.width, height: node.height }] : [];
      }),
    [],
  );
  const nameOf = useCallback((id: string) => {
    const data = latestGraph.current.nodes.find((node) => node.id === id)?.data;
    return !data ? id : data.kind === 'external' ? 'the external hosts' : data.name;
  }, []);

  const userMovedView = useRef(false);
  const [fitRequests, setFitRequests] = useState(0);

  // A large mesh zoomed out too far to read is drawn on the overview canvas, not as React Flow
  // elements (overview-scene.ts); zoomed in, React Flow mounts only what is in view.
  const scene = useMemo(() => (overview ? overviewScene(graph, positions, curves) : null), [overview, graph, positions, curves]);
  const latestScene = useRef(scene);
  useLayoutEffect(() => {
    latestScene.current = scene;
  }, [scene]);
  const { screenToFlowPosition, getViewport } = useReactFlow();
  const overviewNodeAt = useCallback(
    (event: ReactMouseEvent): OverviewNode | null => {
      const current = latestScene.current;
      if (!current) return null;
      // A few screen pixels of slack: at the overview's zoom a node can be a handful of pixels wide.
      return nodeAt(current, screenToFlowPosition({ x: event.clientX, y: event.clientY }), 4 / getViewport().zoom);
    },
    [screenToFlowPosition, getViewport],
  );
  const [hovered, setHovered] = useState<OverviewNode | null>(null);

  // The edge being dragged: React Flow's isValidConnection is told only the candidate connection.
  const dragged = useRef<DraggedEdge | null>(null);
  const isValidConnection: IsValidConnection<FlowEdge> = useCallback(
    (connection) => {
      const edge = dragged.current;
      return edge !== null && decideDrop(edge, { target: connection.target, targetHandle: connection.targetHandle ?? null }, nameOf).kind === 'reroute';
    },
    [nameOf],
  );
  const onReconnectStart = useCallback((_event: unknown, edge: FlowEdge) => {
    dragged.current = edge.type === 'traffic' && edge.data ? toDragged(edge.data) : null;
  }, []);
  const onReconnect = useCallback(
    (old: FlowEdge, connection: Connection) => {
      if (old.type !== 'traffic' || !old.data) return;
      const decision = decideDrop(toDragged(old.data), { target: connection.target, targetHandle: connection.targetHandle ?? null }, nameOf);
      if (decision.kind === 'reroute') onReroute(decision.service, decision.version);
    },
    [nameOf, onReroute],
  );
  const onReconnectEnd = useCallback(
    (event: MouseEvent | TouchEvent, _edge: Edge, _handle: unknown, state: FinalConnectionState) => {
      const edge = dragged.current;
      dragged.current = null;
      if (!edge || state.isValid) return;
      const target = state.toNode?.id ?? nodeUnderPointer(event);
      const decision = decideDrop(edge, { target, targetHandle: state.toHandle?.id ?? null }, nameOf);
      if (decision.kind === 'refused') onRefused(decision.message);
    },
    [nameOf, onRefused],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange<FlowNode>[]) => {
      for (const change of changes) {
        if (change.type === 'position' && change.position) onMove(change.id, change.position);
        else if (change.type === 'select' && change.selected) onSelect(change.id);
      }
    },
    [onMove, onSelect],
  );

  // Stable handlers: React Flow copies a changed handler into its store (waking every node's and
  // edge's subscription) and hands onEdgeClick to every edge, so a new arrow per render re-rendered
  // all 600 edges of a large mesh on each stats update.
  const onPaneClick = useCallback(
    (event: ReactMouseEvent) => {
      const hit = overviewNodeAt(event);
      // A click on a node of the map asks to see it: the view follows the panel again.
      if (hit) userMovedView.current = false;
      onSelect(hit?.id ?? null);
    },
    [onSelect, overviewNodeAt],
  );
  const onPaneMouseMove = useCallback(
    (event: ReactMouseEvent) => {
      const hit = overviewNodeAt(event);
      setHovered((previous) => (previous?.id === hit?.id ? previous : hit));
    },
    [overviewNodeAt],
  );
  const onPaneMouseLeave = useCallback(() => setHovered(null), []);
  const onEdgeClick = useCallback((_event: unknown, edge: FlowEdge) => onSelectEdge(edge.id), [onSelectEdge]);
  const onFitted = useCallback(() => setViewSettled(true), []);
  const onMoveStart = useCallback((event: MouseEvent | TouchEvent | null) => {
    // Programmatic moves (fitting, revealing the selection) come without an event.
    if (!event) return;
    userMovedView.current = true;
    setViewSettled(true);
    setHovered(null);
  }, []);
  const onZoomByUser = useCallback(() => (userMovedView.current = true), []);
  const onFitView = useCallback(() => {
    userMovedView.current = false;
    // React Flow's own fit sees only the nodes it was handed: none while the overview is drawn.
    setFitRequests((count) => count + 1);
  }, []);

  // The hovered node as the latest stats show it: its numbers keep moving while the pointer rests.
  const hoveredNode = (hovered && scene?.nodes.find((node) => node.id === hovered.id)) ?? null;

  return (
    <div className={`topology-graph${positions.size === 0 ? ' laying-out' : ''}${hoveredNode ? ' overview-hover' : ''}`} data-testid="topology-graph">
      <TrafficArrowMarkers palette={palette} />
      <LiveValuesContext.Provider value={live}>
        <ReactFlow<FlowNode, FlowEdge>
          nodes={mountNone ? NO_NODES : stableNodes}
          edges={mountNone ? NO_EDGES : stableEdges}
          onlyRenderVisibleElements={large}
          nodeTypes={NODE_TYPES}
          edgeTypes={FLOW_EDGE_TYPES}
          onNodesChange={onNodesChange}
          // Moving a node to tidy the graph is not asking for its panel (which would also refit the view).
          selectNodesOnDrag={false}
          onPaneClick={onPaneClick}
          onPaneMouseMove={overview ? onPaneMouseMove : undefined}
          onPaneMouseLeave={overview ? onPaneMouseLeave : undefined}
          onEdgeClick={onEdgeClick}
          onMoveStart={onMoveStart}
          onReconnectStart={onReconnectStart}
          onReconnect={onReconnect}
          onReconnectEnd={onReconnectEnd}
          isValidConnection={isValidConnection}
          reconnectRadius={14}
          connectionRadius={28}
          edgesFocusable={false}
          deleteKeyCode={null}
          minZoom={large ? OVERVIEW_MIN_ZOOM : FIT_OPTIONS.minZoom}
          maxZoom={2}
          colorMode={theme}
          aria-label="Topology graph: callers and services, with traffic on the edges"
        >
          <FollowLayout
            generation={layout.generation}
            relayouts={layout.relayouts}
            fitRequests={fitRequests}
            focus={focus}
            boxOf={boxOf}
            allBoxes={allBoxes}
            minZoom={large ? OVERVIEW_MIN_ZOOM : FIT_OPTIONS.minZoom}
            userMoved={userMovedView}
            onFitted={onFitted}
          />
          <RevealSelected id={selected} boxOf={boxOf} userMoved={userMovedView} />
          {scene && <OverviewCanvas scene={scene} palette={palette} selected={selected} />}
          {hoveredNode && <OverviewTooltip node={hoveredNode} />}
          <FlowCanvas paths={paths} palette={palette} />
          {viewSettled && <EdgeLabels graph={graph} positions={positions} curves={curves} />}
          <Background gap={24} size={1} />
          <Controls showInteractive={false} position="bottom-right" onZoomIn={onZoomByUser} onZoomOut={onZoomByUser} onFitView={onFitView} />
        </ReactFlow>
      </LiveValuesContext.Provider>
    </div>
  );
}

/**
 * The previous array when every element is the same object: React Flow rebuilds its lookups
 * whenever it is handed a new array, even one holding the very same nodes or edges.
 */
function useSameArray<T>(items: T[]): T[] {
  const previous = useRef(items);
  const same = previous.current.length === items.length && previous.current.every((item, index) => item === items[index]);
  useLayoutEffect(() => {
    if (!same) previous.current = items;
  });
  return same ? previous.current : items;
}

function toFlowNode(node: GraphNode, position: XY, selected: boolean): FlowNode {
  // Sizes and handle boxes come from the geometry, so React Flow draws edges without measuring
  // the DOM; a node object without them would be re-measured (and its edges remounted) on every update.
  const versions = node.data.kind === 'service' ? node.data.versions.map((version) => version.name) : [];
  const handles = handleBoxes(node.data.kind, node, versions).map((handle) => ({
    ...handle,
    position: handle.position === 'left' ? Position.Left : Position.Right,
  }));
  const base = {
    id: node.id,
    position,
    width: node.width,
    height: node.height,
    measured: { width: node.width, height: node.height },
    handles,
    selected,
    ...(position === UNPLACED ? { className: 'unplaced' } : {}),
  };
  switch (node.data.kind) {
    case 'service':
      return { ...base, type: 'service', data: node.data, ariaLabel: `Service ${node.data.name}` };
    case 'caller':
      return { ...base, type: 'caller', data: node.data, ariaLabel: `Caller ${node.data.name}` };
    case 'external':
      return { ...base, type: 'external', data: node.data, ariaLabel: 'External hosts' };
  }
}

function toFlowEdge(edge: GraphEdge, placed: boolean): TrafficFlowEdge {
  return {
    ...(placed ? {} : { className: 'unplaced' }),
    id: edge.id,
    source: edge.source,
    target: edge.target,
    sourceHandle: SOURCE_HANDLE,
    targetHandle: edge.targetHandle,
    type: 'traffic',
    data: edge,
    // History (a version the route sends nothing) is not dragged and points nowhere.
    reconnectable: edge.target === EXTERNAL_NODE_ID || edge.retired ? false : 'target',
    ariaLabel: `${edge.caller} to ${edge.service}${edge.version === null ? '' : ` ${edge.version}`}`,
  };
}

function toBypassFlowEdge(edge: BypassEdgeModel): BypassFlowEdge {
  return {
    id: edge.id,
    source: edge.source,
    target: edge.target,
    sourceHandle: SOURCE_HANDLE,
    targetHandle: edge.targetHandle,
    type: 'bypass',
    data: edge,
    reconnectable: false,
    markerEnd: { type: MarkerType.ArrowClosed, color: 'var(--bypass)', width: 12, height: 12 },
    ariaLabel: `${edge.bypass.caller} bypasses the proxy to ${edge.bypass.service}`,
  };
}

function toDragged(edge: GraphEdge): DraggedEdge {
  return { target: edge.target, service: edge.service, version: edge.version };
}

/** The node under the pointer at the drop, when React Flow found no handle near it. */
function nodeUnderPointer(event: MouseEvent | TouchEvent): string | null {
  const point = 'changedTouches' in event ? event.changedTouches[0] : event;
  if (!point) return null;
  const element = document.elementFromPoint(point.clientX, point.clientY);
  return element?.closest<HTMLElement>('.react-flow__node')?.dataset.id ?? null;
}
