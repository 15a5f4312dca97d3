/**
 * `meshdesk top`: the busiest routes right now, like `linkerd viz top`: requests grouped by
 * caller, service, method and path, with counts, success and latency, redrawn every second.
 */
import { Command, Option } from 'commander';
import type { RequestEvent } from '../../shared/events.js';
import { readPersistedToken } from '../mesh/index.js';
import { addAdminAccessOptions, EXIT_UNREACHABLE, type AdminAccessOptions } from './admin-access.js';
import { millis, table } from './output.js';
import { pushBatches } from './push-client.js';

interface Row {
  caller: string;
  target: string;
  method: string;
  path: string;
  count: number;
  failures: number;
  best: number;
  worst: number;
  last: number;
}

export class TopTable {
  private readonly rows = new Map<string, Row>();

  add(event: RequestEvent): void {
    const target = event.version ? `${event.service}@${event.version}` : event.service;
    const key = `${event.caller} ${target} ${event.method} ${event.path}`;
    const latency = event.timings.end;
    const row = this.rows.get(key) ?? {
      caller: event.caller,
      target,
      method: event.method,
      path: event.path,
      count: 0,
      failures: 0,
      best: latency,
      worst: latency,
      last: latency,
    };
    row.count++;
    if (event.failed) row.failures++;
    row.best = Math.min(row.best, latency);
    row.worst = Math.max(row.worst, latency);
    row.last = latency;
    this.rows.set(key, row);
  }

  /** The busiest `limit` rows, busiest first: what both the table and the JSON show. */
  busiest(limit: number): Row[] {
    return [...this.rows.values()].sort((a, b) => b.count - a.count).slice(0, limit);
  }

  render(limit: number): string {
    return table(
      ['CALLER', 'TARGET', 'METHOD', 'PATH', 'COUNT', 'SUCCESS', 'BEST', 'WORST', 'LAST'],
      this.busiest(limit).map((row) => [
        row.caller,
        row.target,
        row.method,
        row.path,
        `${row.count}`,
        `${Math.round(successRate(row) * 1000) / 10}%`,
        millis(row.best),
        millis(row.worst),
        millis(row.last),
      ]),
    );
  }

  /** The table's rows as data, named and shaped like `stat --json` (success as a fraction, latency in ms). */
  toJson(limit: number): { rows: TopJsonRow[] } {
    return {
      rows: this.busiest(limit).map((row) => ({
        caller: row.caller,
        target: row.target,
        method: row.method,
        path: row.path,
        count: row.count,
        failures: row.failures,
        successRate: successRate(row),
        latencyMs: { best: row.best, worst: row.worst, last: row.last },
      })),
    };
  }
}

/** A row as `top --json` prints it: the table's counts, success as a fraction, latency grouped. */
export type TopJsonRow = Omit<Row, 'best' | 'worst' | 'last'> & {
  successRate: number;
  latencyMs: Pick<Row, 'best' | 'worst' | 'last'>;
};

function successRate(row: Row): number {
  return (row.count - row.failures) / row.count;
}

export function topCommand(): Command {
  return addAdminAccessOptions(
    new Command('top')
      .description('the busiest routes through the mesh, live')
      .addOption(new Option('--rows <n>', 'rows shown').argParser(Number).default(20))
      .addOption(new Option('--duration <s>', 'stop after this many seconds and print the table (or, with --json, one JSON snapshot) once').argParser(Number)),
  ).action(async (options: AdminAccessOptions & { rows: number; duration?: number }) => {
    const top = new TopTable();
    const abort = new AbortController();
    const interactive = process.stdout.isTTY && options.duration === undefined && !options.json;
    const redraw = interactive ? setInterval(() => process.stdout.write(`\u001b[2J\u001b[H${top.render(options.rows)}\n`), 1000) : null;
    const stop = options.duration !== undefined ? setTimeout(() => abort.abort(), options.duration * 1000) : null;
    // Ctrl+C (or a supervisor's SIGTERM) ends top the way --duration does: the last table, or the
    // JSON snapshot, is printed rather than lost.
    const end = () => abort.abort();
    process.once('SIGINT', end);
    process.once('SIGTERM', end);
    try {
      // Rows: top counts requests and reads no attempts or decision traces, so the mesh need not send them.
      for await (const batch of pushBatches(options.adminUrl, options.token ?? readPersistedToken(options.stateDir), abort.signal, 'rows')) {
        for (const item of batch.items) if (item.kind === 'request') top.add(item.event);
      }
    } catch (error) {
      if (!abort.signal.aborted) {
        const unreachable = error instanceof TypeError && /fetch failed/.test(error.message);
        console.error(unreachable ? `meshdesk: no mesh answers at ${options.adminUrl}` : `meshdesk: ${error instanceof Error ? error.message : String(error)}`);
        process.exitCode = unreachable ? EXIT_UNREACHABLE : 1;
        return;
      }
    } finally {
      if (redraw) clearInterval(redraw);
      if (stop) clearTimeout(stop);
      process.off('SIGINT', end);
      process.off('SIGTERM', end);
    }
    // --json prints one snapshot when top stops (after --duration, on Ctrl+C, or when the mesh goes away),
    // as `stat --json` prints one document: a script gets a single value to parse, not a stream.
    console.log(options.json ? JSON.stringify(top.toJson(options.rows)) : top.render(options.rows));
  });
}
