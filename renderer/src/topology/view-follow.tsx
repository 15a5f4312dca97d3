/**
 * How the topology's view follows the graph without the user: fitting it after a layout or when a
 * panel opens, closes or changes (panel-focus.ts), and bringing the selection into view once the
 * user has placed the view themselves. Both render nothing; they steer React Flow's viewport.
 */
import { getViewportForBounds, useReactFlow, useStore } from '@xyflow/react';
import { useEffect, useLayoutEffect, useRef, type RefObject } from 'react';
import { FIT_OPTIONS, FOCUS_MAX_ZOOM, focusKey, nodesToFit, unionOf, type Box, type PanelFocus } from './panel-focus.js';

/**
 * Keeps the graph in view while the user has not taken the view in hand: after each layout that
 * placed nodes (the first nodes arriving over the push stream, a new service), and whenever a panel
 * opens, closes or changes what it shows, the view fits — the whole graph without a panel, the
 * panel's neighbourhood with one (panel-focus.ts). Once the user pans or zooms, the view is theirs,
 * until they ask for a fresh layout or press the fit button (each press adds one to `fitRequests`).
 *
 * The view is fitted to the nodes' boxes from the layout, not to React Flow's nodes: a large mesh
 * zoomed out hands React Flow none (it is drawn by the overview canvas).
 */
export function FollowLayout({
  generation,
  relayouts,
  fitRequests,
  focus,
  boxOf,
  allBoxes,
  minZoom,
  userMoved,
  onFitted,
}: {
  generation: number;
  relayouts: number;
  fitRequests: number;
  focus: PanelFocus | null;
  boxOf: (id: string) => Box | undefined;
  /** Every placed node's box. */
  allBoxes: () => Box[];
  minZoom: number;
  userMoved: RefObject<boolean>;
  onFitted: () => void;
}) {
  const { setViewport } = useReactFlow();
  // The graph's own size: a panel opening or closing narrows or widens it.
  const width = useStore((state) => state.width);
  const height = useStore((state) => state.height);
  // The focus object is new with every stats update; the view refits only when its nodes change.
  const key = focusKey(focus);
  const latestFocus = useRef(focus);
  useLayoutEffect(() => {
    latestFocus.current = focus;
  });
  useEffect(() => {
    userMoved.current = false;
  }, [relayouts]);
  useEffect(() => {
    if (generation === 0 || userMoved.current) return;
    const frame = requestAnimationFrame(() => {
      const focused = latestFocus.current && nodesToFit(latestFocus.current, boxOf, { width, height });
      const boxes = focused && focused.length > 0 ? focused.flatMap((id) => boxOf(id) ?? []) : allBoxes();
      if (boxes.length === 0 || width === 0 || height === 0) return;
      const maxZoom = focused && focused.length > 0 ? FOCUS_MAX_ZOOM : FIT_OPTIONS.maxZoom;
      void setViewport(getViewportForBounds(unionOf(boxes), width, height, minZoom, maxZoom, FIT_OPTIONS.padding)).then(onFitted);
    });
    return () => cancelAnimationFrame(frame);
  }, [generation, relayouts, fitRequests, width, height, key, boxOf, allBoxes, minZoom, setViewport, userMoved, onFitted]);
  return null;
}

/**
 * Pans to the selected node when it is not fully in view, keeping the zoom, once the user has
 * placed the view themselves (zoomed in on a large mesh, a service picked from the toolbar may be
 * anywhere); until then the fitted view already shows it.
 */
export function RevealSelected({ id, boxOf, userMoved }: { id: string | null; boxOf: (id: string) => Box | undefined; userMoved: RefObject<boolean> }) {
  const { getViewport, setCenter } = useReactFlow();
  const size = useStore((state) => `${state.width}x${state.height}`);
  useEffect(() => {
    // While the view follows the layout, FollowLayout fits the whole graph, the selection included.
    if (!id || !userMoved.current) return;
    const frame = requestAnimationFrame(() => {
      // From the layout, not React Flow: a large mesh zoomed out hands React Flow no nodes.
      const target = boxOf(id);
      const [width = 0, height = 0] = size.split('x').map(Number);
      if (!target) return;
      const { x, y, zoom } = getViewport();
      const left = target.x * zoom + x;
      const top = target.y * zoom + y;
      const inView = left >= 0 && top >= 0 && left + target.width * zoom <= width && top + target.height * zoom <= height;
      if (!inView) void setCenter(target.x + target.width / 2, target.y + target.height / 2, { zoom, duration: 250 });
    });
    return () => cancelAnimationFrame(frame);
  }, [id, size, boxOf, getViewport, setCenter, userMoved]);
  return null;
}
