/**
 * The traffic layer: one canvas over the graph on which the dots of flow-dots.ts move, redrawn at
 * most 24 times a second, in the viewport's pan and zoom. It takes no pointer events, draws nothing
 * (and schedules no frames) when no edge carries traffic, the page is hidden, or the user asked the
 * system for reduced motion. The latest paths and transform are read from a ref by the drawing
 * loop, so a stats update or a pan does not restart it.
 */
import { useStore, type ReactFlowState } from '@xyflow/react';
import { useEffect, useLayoutEffect, useRef } from 'react';
import type { Palette } from './edge-style.js';
import { forEachDot, type FlowPath } from './flow-dots.js';

const FRAME_MS = 1000 / 24;
const DOT_RADIUS = 2.5;
/** A pre-drawn dot per colour: one drawImage per dot is far cheaper than building arc paths. */
function dotSprite(colour: string, ratio: number): HTMLCanvasElement {
  const size = Math.ceil(DOT_RADIUS * 2 * ratio) + 2;
  const sprite = document.createElement('canvas');
  sprite.width = size;
  sprite.height = size;
  const context = sprite.getContext('2d');
  if (context) {
    context.fillStyle = colour;
    context.beginPath();
    context.arc(size / 2, size / 2, DOT_RADIUS * ratio, 0, Math.PI * 2);
    context.fill();
  }
  return sprite;
}

const selectView = (state: ReactFlowState) => ({ transform: state.transform, width: state.width, height: state.height });
const sameView = (a: ReturnType<typeof selectView>, b: ReturnType<typeof selectView>) =>
  a.width === b.width && a.height === b.height && a.transform[0] === b.transform[0] && a.transform[1] === b.transform[1] && a.transform[2] === b.transform[2];

export function FlowCanvas({ paths, palette }: { paths: readonly FlowPath[]; palette: Palette }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const view = useStore(selectView, sameView);
  const latest = useRef({ paths, palette, view });
  /** Starts the drawing loop again if it stopped for want of anything to move. */
  const wake = useRef(() => {});
  useLayoutEffect(() => {
    latest.current = { paths, palette, view };
    if (paths.length > 0) wake.current();
  }, [paths, palette, view]);

  useEffect(() => {
    const element = canvas.current;
    const context = element?.getContext('2d');
    if (!element || !context) return;
    const reduced = window.matchMedia('(prefers-reduced-motion: reduce)');
    const started = performance.now();
    let frame = 0;
    let drawnAt = -Infinity;
    const sprites = new Map<string, HTMLCanvasElement>();
    let drewLast = false;
    const draw = (now: number) => {
      const {
        paths: current,
        palette: colours,
        view: { transform, width, height },
      } = latest.current;
      // Nothing to move: this frame clears what is left and the loop stops until woken.
      const still = reduced.matches || current.length === 0;
      frame = still ? 0 : requestAnimationFrame(draw);
      if (!still && now - drawnAt < FRAME_MS) return;
      drawnAt = now;
      const ratio = Math.min(window.devicePixelRatio || 1, 2);
      if (element.width !== Math.round(width * ratio) || element.height !== Math.round(height * ratio)) {
        element.width = Math.round(width * ratio);
        element.height = Math.round(height * ratio);
        sprites.clear();
      }
      if (drewLast) context.clearRect(0, 0, element.width, element.height);
      drewLast = false;
      if (still) return;
      const [x, y, zoom] = transform;
      const seconds = (now - started) / 1000;
      for (const path of current) {
        const colour = colours.health[path.health];
        let sprite = sprites.get(colour);
        if (!sprite) {
          sprite = dotSprite(colour, ratio);
          sprites.set(colour, sprite);
        }
        const image = sprite;
        const half = sprite.width / 2;
        forEachDot(path, seconds, zoom, (dotX, dotY) => {
          const screenX = (dotX * zoom + x) * ratio;
          const screenY = (dotY * zoom + y) * ratio;
          if (screenX < -half || screenY < -half || screenX > element.width + half || screenY > element.height + half) return;
          context.drawImage(image, screenX - half, screenY - half);
          drewLast = true;
        });
      }
    };
    const start = () => {
      if (frame === 0 && document.visibilityState === 'visible') frame = requestAnimationFrame(draw);
    };
    const stop = () => {
      cancelAnimationFrame(frame);
      frame = 0;
    };
    const onVisibility = () => (document.visibilityState === 'visible' ? start() : stop());
    wake.current = start;
    start();
    document.addEventListener('visibilitychange', onVisibility);
    reduced.addEventListener('change', start);
    return () => {
      stop();
      wake.current = () => {};
      document.removeEventListener('visibilitychange', onVisibility);
      reduced.removeEventListener('change', start);
    };
  }, []);

  return (
    <canvas
      ref={canvas}
      className="flow-canvas"
      style={{ width: view.width, height: view.height }}
      aria-hidden="true"
      data-testid="flow-canvas"
      data-paths={paths.length}
    />
  );
}
