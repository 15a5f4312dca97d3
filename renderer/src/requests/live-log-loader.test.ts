/**
 * The loader between the mesh and the view's rows: history paged in newest first up to capacity,
 * live rows merged without duplicates, filters on headers followed by asking the mesh, answers to a
 * replaced filter thrown away.
 *
 * The mesh's log here is a small in-memory stand-in with queryLog's paging contract (newest first,
 * `before` a position, `nextBefore` null at the end): the renderer may not import the mesh, and the
 * real pair is exercised end to end in e2e/requests.spec.ts.
 * Run: `npx vitest run renderer/src/requests/live-log-loader.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import type { Exchange, LogPage } from '../../../shared/exchange.js';
import { exchange } from '../../../shared/testing/exchange-fixture.js';
import { LiveLog } from './live-log.js';
import { LiveLogLoader, type LogSource, type PageQuery } from './live-log-loader.js';
import { rowFromExchange } from './log-row.js';

class LogStandIn implements LogSource {
  readonly exchanges: Exchange[] = [];
  readonly queries: PageQuery[] = [];
  gate: Promise<void> = Promise.resolve();

  add(count: number, headers: [string, string][] = []): Exchange[] {
    const added: Exchange[] = [];
    for (let i = 0; i < count; i++) {
      const seq = this.exchanges.length;
      const logged = exchange({ id: seq + 1, seq, service: seq % 2 === 0 ? 'world' : 'other', path: `/${seq}`, startedAt: seq, requestHeaders: headers });
      this.exchanges.push(logged);
      added.push(logged);
    }
    return added;
  }

  async query(input: PageQuery): Promise<LogPage> {
    this.queries.push(input);
    await this.gate;
    const matching = this.exchanges.filter(
      (exchange) =>
        (input.before === undefined || exchange.seq < input.before) &&
        (!input.service || exchange.service === input.service) &&
        (!input.headerName || (exchange.requestHeaders ?? []).some(([name]) => name === input.headerName)),
    );
    const page = matching.reverse().slice(0, input.limit);
    const more = matching.length > input.limit;
    return { exchanges: page, nextBefore: more ? (page.at(-1) as Exchange).seq : null, held: this.exchanges.length, capacity: 10_000 };
  }
}

const ids = (log: LiveLog) => log.snapshot().map((row) => row.id);
const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(check()).toBe(true);
};

describe('LiveLogLoader', () => {
  it('pages history in, newest first, down to the capacity', async () => {
    const mesh = new LogStandIn();
    mesh.add(50);
    const log = new LiveLog({ capacity: 20 });
    await new LiveLogLoader(log, mesh, { pageSize: 8 }).start({});
    expect(ids(log)).toEqual(Array.from({ length: 24 }, (_, i) => 27 + i).slice(-20));
    expect(mesh.queries.map((query) => query.before ?? null)).toEqual([null, 42, 34]);
  });

  it('filters history in the mesh and live rows in the view, without duplicates', async () => {
    const mesh = new LogStandIn();
    mesh.add(6);
    const log = new LiveLog();
    const loader = new LiveLogLoader(log, mesh);
    await loader.start({ service: 'world' });
    expect(ids(log)).toEqual([1, 3, 5]);
    // The stream repeats an exchange history already had, then brings new ones.
    loader.pushed([mesh.exchanges[4] as Exchange, ...mesh.add(3)].map(rowFromExchange), 0);
    expect(ids(log)).toEqual([1, 3, 5, 7, 9]);
  });

  it('follows a header filter by asking the mesh for what is newer', async () => {
    const mesh = new LogStandIn();
    mesh.add(2, [['x-id', '1']]);
    mesh.add(2);
    const log = new LiveLog();
    const loader = new LiveLogLoader(log, mesh, { catchUpEveryMs: 10 });
    await loader.start({ headerName: 'x-id' });
    expect(ids(log)).toEqual([1, 2]);
    const fresh = [...mesh.add(1, [['x-id', '2']]), ...mesh.add(1)];
    loader.pushed(fresh.map(rowFromExchange), 0);
    // The pushed events carry no headers, so they are not shown as they are...
    expect(ids(log)).toEqual([1, 2]);
    // ...but the mesh is asked, and its answer is.
    await until(() => log.length === 3);
    expect(ids(log)).toEqual([1, 2, 5]);
    loader.stop();
  });

  it('catches up after the stream dropped events', async () => {
    const mesh = new LogStandIn();
    const log = new LiveLog();
    const loader = new LiveLogLoader(log, mesh, { catchUpEveryMs: 10 });
    await loader.start({});
    const [first, ...lost] = mesh.add(5);
    loader.pushed([rowFromExchange(first as Exchange)], lost.length);
    await until(() => log.length === 5);
    expect(log.counters.droppedByStream).toBe(4);
    loader.stop();
  });

  it('throws away history for a filter that was replaced while it loaded', async () => {
    const mesh = new LogStandIn();
    mesh.add(4);
    const log = new LiveLog();
    const loader = new LiveLogLoader(log, mesh);
    let open = () => {};
    mesh.gate = new Promise((resolve) => (open = resolve));
    const slow = loader.start({ service: 'other' });
    mesh.gate = Promise.resolve();
    await loader.start({ service: 'world' });
    open();
    await slow;
    expect(ids(log)).toEqual([1, 3]);
  });

  it('reports a mesh that cannot answer, and keeps following the stream', async () => {
    const log = new LiveLog();
    const statuses: (string | null)[] = [];
    const failing: LogSource = { query: () => Promise.reject(new Error('GET /api/log failed with 404')) };
    const loader = new LiveLogLoader(log, failing, { onStatus: (status) => statuses.push(status.error) });
    await loader.start({});
    expect(statuses.at(-1)).toBe('Could not load the log: GET /api/log failed with 404');
    loader.pushed(new LogStandIn().add(1).map(rowFromExchange), 0);
    expect(log.length).toBe(1);
  });
});
