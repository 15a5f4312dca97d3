/**
 * What the graph benchmark measures in Chromium, through Playwright: the time from navigation to
 * the whole graph drawn (every node and edge in the DOM and placed: the dashboard builds nodes while
 * its layout worker places them, hidden under the class `laying-out` or `unplaced`; or, for a large
 * mesh fitted too small to read, every node and edge drawn on the overview canvas), main-thread long
 * tasks (the 'longtask' PerformanceObserver, i.e. tasks over 50 ms) while the live feed updates the
 * graph, and frame intervals while a node and an edge head are dragged with the mouse, zoomed in. All timing is read inside
 * the page with performance.now(), so Playwright's own round trips do not count.
 */
import type { Locator, Page } from '@playwright/test';

export interface LongTaskSummary {
  count: number;
  maxMs: number;
  /** Sum over long tasks of their time beyond 50 ms (Lighthouse's total blocking time). */
  blockingMs: number;
  /**
   * For each long task, what ran in it, from the Long Animation Frames API (Chromium): each script's
   * invoker and function with its time, and the frame's rendering (style, layout, paint) time.
   */
  causes: string[];
}

export interface FrameSummary {
  frames: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** Frames that took longer than 50 ms (visible stutter). */
  over50: number;
  longTasks: LongTaskSummary;
}

export interface GraphMeasurement {
  nodes: number;
  edges: number;
  firstRenderMs: number;
  updates: { seconds: number; summaryChanges: number; longTasks: LongTaskSummary };
  nodeDrag: FrameSummary;
  edgeDrag: FrameSummary;
}

/** Installed before the page's own scripts: collects long tasks from the start. */
export const OBSERVER_SCRIPT = `
  window.__bench = { longTasks: [] };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__bench.longTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
  window.__bench.frames = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__bench.frames.push({
      start: entry.startTime,
      end: entry.startTime + entry.duration,
      scripts: entry.scripts.map((script) => script.invoker + (script.sourceFunctionName ? ' ' + script.sourceFunctionName : '') + ' ' + Math.round(script.duration) + ' ms'),
      renderMs: entry.renderStart > 0 ? Math.round(entry.startTime + entry.duration - entry.renderStart) : 0,
    });
  }).observe({ type: 'long-animation-frame', buffered: true });
`;

/*
 * The code below that runs in the page is written as strings: this project's Node code is typed
 * without the DOM, and these few lines only read the DOM and the clock.
 */

/**
 * A page expression, true once the whole graph is drawn: every node and edge mounted and placed, or
 * for a large mesh fitted too small to read, every one drawn on the overview canvas.
 */
export function graphDrawn(expected: { nodes: number; edges: number }): string {
  return `((document.querySelectorAll('.react-flow__node').length >= ${expected.nodes} && document.querySelectorAll('.react-flow__edge').length >= ${expected.edges})
    || document.querySelector('[data-testid="overview-canvas"]')?.dataset.drawn === '${expected.nodes}/${expected.edges}')
    && !document.querySelector('.laying-out, .react-flow__node.unplaced, .react-flow__edge.unplaced')`;
}

export async function measureGraph(page: Page, url: string, expected: { nodes: number; edges: number }, updateSeconds: number): Promise<GraphMeasurement> {
  await page.addInitScript(OBSERVER_SCRIPT);
  await page.goto(`${url}/#/topology`);
  await page.waitForFunction(
    `(() => {
      const drawn = ${graphDrawn(expected)};
      if (drawn) window.__bench.renderedAt ??= performance.now();
      return drawn;
    })()`,
    undefined,
    { polling: 'raf', timeout: 60_000 },
  );
  const firstRenderMs = await page.evaluate<number>('window.__bench.renderedAt');
  // A large mesh seen whole is drawn on the overview canvas (overview-scene.ts), which says what it drew.
  const counts = await page.evaluate<{ nodes: number; edges: number }>(`(() => {
    const drawn = document.querySelector('[data-testid="overview-canvas"]')?.dataset.drawn;
    if (drawn) { const [nodes, edges] = drawn.split('/').map(Number); return { nodes, edges }; }
    return { nodes: document.querySelectorAll('.react-flow__node').length, edges: document.querySelectorAll('.react-flow__edge').length };
  })()`);

  // Let the first fit and paint settle, then watch the live updates.
  await page.waitForTimeout(1_500);
  // A node's `12 rps · 99.5%`, or on the overview canvas the count of its redraws: either moves with each stats update.
  const shown = () =>
    page.evaluate<string>(
      `document.querySelector('[data-testid="service-summary-svc-000"]')?.textContent ?? document.querySelector('[data-testid="overview-canvas"]')?.dataset.draws ?? ''`,
    );
  const from = await now(page);
  let summaryChanges = 0;
  let lastSummary = await shown();
  for (let second = 0; second < updateSeconds; second++) {
    await page.waitForTimeout(1_000);
    const text = await shown();
    if (text !== lastSummary) summaryChanges++;
    lastSummary = text;
  }
  const updates = { seconds: updateSeconds, summaryChanges, longTasks: await longTasksBetween(page, from, await now(page)) };

  // Zoom in on the graph, as a user does before dragging, then drag what is nearest the centre.
  const pane = await page.getByTestId('topology-graph').boundingBox();
  if (!pane) throw new Error('no graph on screen');
  await zoomInWhereEdgesAre(page, pane);
  const nodeId = await nearestToCentre(page, '.react-flow__node');
  const nodeDrag = await measureDrag(page, page.locator(`.react-flow__node[data-id="${nodeId}"]`), { dx: 200, dy: 120 });
  const anchorEdge = await nearestToCentre(page, '.react-flow__edgeupdater-target', '.react-flow__edge');
  const edgeDrag = await measureDrag(
    page,
    page.locator(`.react-flow__edge[data-id="${anchorEdge}"] .react-flow__edgeupdater-target`),
    { dx: -180, dy: 140 },
    0.25,
  );
  return { ...counts, firstRenderMs, updates, nodeDrag, edgeDrag };
}

/**
 * Three wheel ticks on the middle of the graph, as before large meshes were drawn as an overview;
 * a large mesh fitted whole needs more before its nodes are drawn as nodes, and where the middle of
 * it has no edges (services without traffic, with real traffic), the view is fitted again and
 * zoomed in on other points along it until edges are in view.
 */
async function zoomInWhereEdgesAre(page: Page, pane: { x: number; y: number; width: number; height: number }): Promise<void> {
  const anchors = page.locator('.react-flow__edgeupdater-target');
  for (const [index, across] of [0.5, 0.35, 0.65, 0.2, 0.8].entries()) {
    if (index > 0) {
      await page.getByRole('button', { name: /fit view/i }).click();
      await page.waitForTimeout(300);
    }
    await page.mouse.move(pane.x + pane.width * across, pane.y + pane.height / 2);
    for (let tick = 0; tick < 3 || (tick < 20 && (await page.locator('.react-flow__node').count()) < 4); tick++) {
      await page.mouse.wheel(0, -200);
      await page.waitForTimeout(150);
    }
    await page.waitForTimeout(500);
    if ((await anchors.count()) >= 3) return;
  }
}

/** The data-id of the element matching `selector` (or its `owner` ancestor) nearest the graph's centre. */
async function nearestToCentre(page: Page, selector: string, owner?: string): Promise<string> {
  const id = await page.evaluate<string>(`(() => {
    const pane = document.querySelector('[data-testid="topology-graph"]').getBoundingClientRect();
    const cx = pane.left + pane.width / 2, cy = pane.top + pane.height / 2;
    let best = null, bestDistance = Infinity;
    for (const element of document.querySelectorAll(${JSON.stringify(selector)})) {
      const box = element.getBoundingClientRect();
      const x = box.left + box.width / 2, y = box.top + box.height / 2;
      if (x < pane.left + 40 || x > pane.right - 40 || y < pane.top + 40 || y > pane.bottom - 40) continue;
      const distance = Math.hypot(x - cx, y - cy);
      if (distance < bestDistance) { best = element; bestDistance = distance; }
    }
    const target = ${owner ? `best?.closest(${JSON.stringify(owner)})` : 'best'};
    return target?.getAttribute('data-id') ?? '';
  })()`);
  if (!id) {
    await page.screenshot({ path: 'bench-graph-failure.png' });
    throw new Error(`no ${selector} near the centre of the graph (screenshot: bench-graph-failure.png)`);
  }
  return id;
}

function now(page: Page): Promise<number> {
  return page.evaluate<number>('performance.now()');
}

async function measureDrag(page: Page, handle: Locator, by: { dx: number; dy: number }, atX = 0.5): Promise<FrameSummary> {
  const box = await handle.boundingBox();
  if (!box) throw new Error('nothing to drag on screen');
  const x = box.x + box.width * atX;
  const y = box.y + Math.min(box.height / 2, 20);
  await page.evaluate(`(() => {
    const bench = window.__bench;
    bench.frames = [];
    bench.recording = true;
    const tick = (time) => {
      bench.frames.push(time);
      if (bench.recording) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  const from = await now(page);
  await page.mouse.move(x, y);
  await page.mouse.down();
  // About two seconds of movement at a pointer's pace: one move per 16 ms.
  const steps = 120;
  for (let step = 1; step <= steps; step++) {
    await page.mouse.move(x + (by.dx * step) / steps, y + (by.dy * step) / steps);
    await page.waitForTimeout(16);
  }
  await page.mouse.up();
  const frames = await page.evaluate<number[]>('(() => { window.__bench.recording = false; return window.__bench.frames; })()');
  const to = await now(page);
  const intervals = frames.slice(1).map((time, index) => time - (frames[index] ?? time));
  const sorted = [...intervals].sort((a, b) => a - b);
  const pick = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN);
  return {
    frames: frames.length,
    p50Ms: pick(0.5),
    p95Ms: pick(0.95),
    maxMs: round(sorted[sorted.length - 1] ?? NaN),
    over50: intervals.filter((interval) => interval > 50).length,
    longTasks: await longTasksBetween(page, from, to),
  };
}

async function longTasksBetween(page: Page, from: number, to: number): Promise<LongTaskSummary> {
  const tasks = await page.evaluate<{ start: number; duration: number; frames: { scripts: string[]; renderMs: number }[] }[]>(
    `window.__bench.longTasks.filter((task) => task.start >= ${from} && task.start <= ${to}).map((task) => ({
      ...task,
      frames: window.__bench.frames.filter((frame) => frame.start <= task.start + task.duration && frame.end >= task.start),
    }))`,
  );
  return {
    count: tasks.length,
    maxMs: round(Math.max(0, ...tasks.map((task) => task.duration))),
    blockingMs: round(tasks.reduce((sum, task) => sum + Math.max(0, task.duration - 50), 0)),
    causes: tasks.map(
      (task) =>
        `${round(task.duration)} ms: ${task.frames.map((frame) => [...frame.scripts, `rendering ${frame.renderMs} ms`].join(', ')).join(' / ') || 'no animation frame reported'}`,
    ),
  };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
