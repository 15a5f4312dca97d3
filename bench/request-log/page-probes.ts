/**
 * What the request-log benchmark measures inside Chromium, and the user it plays.
 *
 * - Long tasks: the 'longtask' PerformanceObserver (main-thread tasks over 50 ms), from page load.
 * - Input latency: the Event Timing API ('event' entries, the basis of INP): for each click and
 *   key press, the time from the input to the next paint after its handlers ran. Playwright's input
 *   goes through the browser's input pipeline (CDP Input.dispatch*), so it is timed like a user's.
 * - Memory: the JS heap and the DOM node count from the DevTools protocol (Performance.getMetrics),
 *   sampled while the load runs.
 *
 * In-page code is written as strings: this project's Node code is typed without the DOM.
 */
import type { CDPSession, Page } from '@playwright/test';

export const OBSERVER_SCRIPT = `
  window.__bench = { longTasks: [], inputs: [], nodesAdded: 0 };
  // DOM churn: nodes the page creates per second, a cost the heap size alone does not show.
  new MutationObserver((records) => {
    for (const record of records) window.__bench.nodesAdded += record.addedNodes.length;
  }).observe(document, { childList: true, subtree: true });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__bench.longTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      window.__bench.inputs.push({
        name: entry.name,
        start: entry.startTime,
        duration: entry.duration,
        delay: entry.processingStart - entry.startTime,
        processing: entry.processingEnd - entry.processingStart,
      });
    }
  }).observe({ type: 'event', durationThreshold: 16, buffered: true });
`;

export interface LongTask {
  start: number;
  duration: number;
}

export interface InputTiming {
  name: string;
  start: number;
  duration: number;
  delay: number;
  processing: number;
}

export interface MemorySample {
  atSeconds: number;
  jsHeapUsedMb: number;
  domNodes: number;
}

export interface PageFigures {
  longTasks: LongTask[];
  inputs: InputTiming[];
  /** DOM nodes inserted over the run (each subtree root counts once). */
  nodesAdded: number;
  /** Inputs sent by the driver (Event Timing lists only those slower than 16 ms). */
  inputsSent: number;
  memory: MemorySample[];
  /** The view's own counters at the end: rows held, events received, events the stream dropped. */
  view: { rows: number; received: number; dropped: number; newestRowId: number | null; following: boolean };
}

export async function memorySample(cdp: CDPSession, atSeconds: number): Promise<MemorySample> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  const metric = (name: string) => metrics.find((candidate) => candidate.name === name)?.value ?? 0;
  return { atSeconds, jsHeapUsedMb: Math.round((metric('JSHeapUsedSize') / 1024 / 1024) * 10) / 10, domNodes: metric('Nodes') };
}

/**
 * One round of what a user does with the log open: click a row (opens the detail pane), walk down
 * with the arrow keys, now and then close the pane, and put follow back on if it went off.
 * Returns how many inputs it sent.
 */
export async function playUser(page: Page, round: number): Promise<number> {
  const rows = page.getByTestId('log-row');
  const count = await rows.count();
  if (count === 0) return 0;
  await rows.nth(Math.floor(count / 2)).click({ timeout: 5_000 });
  await page.getByTestId('log-scroll').press('ArrowDown');
  await page.getByTestId('log-scroll').press('ArrowDown');
  let sent = 3;
  if (round % 3 === 0) {
    await page.getByRole('button', { name: 'Close details' }).click({ timeout: 5_000 });
    sent++;
  }
  const follow = page.getByTestId('follow');
  if ((await follow.getAttribute('aria-pressed')) !== 'true') {
    await follow.click();
    sent++;
  }
  return sent;
}

export async function readPageFigures(page: Page, inputsSent: number, memory: MemorySample[]): Promise<PageFigures> {
  const collected = (await page.evaluate('window.__bench')) as { longTasks: LongTask[]; inputs: InputTiming[]; nodesAdded: number };
  const counters = page.getByTestId('log-counters');
  const newest = await page.getByTestId('log-row').evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('data-id'))));
  return {
    longTasks: collected.longTasks,
    inputs: collected.inputs,
    nodesAdded: collected.nodesAdded,
    inputsSent,
    memory,
    view: {
      rows: Number(await counters.getAttribute('data-rows')),
      received: Number(await counters.getAttribute('data-received')),
      dropped: Number(await counters.getAttribute('data-dropped')),
      newestRowId: newest.length > 0 ? Math.max(...newest) : null,
      following: (await page.getByTestId('follow').getAttribute('aria-pressed')) === 'true',
    },
  };
}
