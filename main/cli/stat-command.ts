/** `meshdesk stat`: golden metrics per service and version, like `linkerd viz stat`. */
import { Command } from 'commander';
import type { SeriesStats } from '../../shared/stats.js';
import { addAdminAccessOptions, withAdmin, type AdminAccessOptions } from './admin-access.js';
import { millis, percent, rate, table } from './output.js';

export function statCommand(): Command {
  return addAdminAccessOptions(
    new Command('stat').description('success rate, requests/s and latency per service and version').argument('[service]', 'only this service'),
  ).action((service: string | undefined, options: AdminAccessOptions) =>
    withAdmin(options, async (client) => {
      const stats = await client.call('getStats');
      const services = stats.services.filter((row) => !service || row.service === service);
      const versions = stats.versions.filter((row) => !service || row.service === service);
      if (options.json) {
        console.log(JSON.stringify({ windowSeconds: stats.windowSeconds, services, versions }));
        return;
      }
      if (service && services.length === 0) {
        console.error(`meshdesk: no traffic to ${service} yet (or no such service)`);
        process.exitCode = 1;
        return;
      }
      const rows = services.flatMap((row) => [
        statRow(row.service, '*', row.stats),
        ...versions.filter((v) => v.service === row.service).map((v) => statRow(row.service, v.version, v.stats)),
      ]);
      console.log(table(['SERVICE', 'VERSION', 'SUCCESS', 'RPS', 'P50', 'P95', 'P99', 'REQUESTS'], rows));
    }),
  );
}

function statRow(service: string, version: string, stats: SeriesStats): string[] {
  const { latencyMs } = stats;
  return [
    service,
    version,
    percent(stats.successRate),
    rate(stats.rps),
    millis(latencyMs.p50),
    millis(latencyMs.p95),
    millis(latencyMs.p99),
    `${stats.totals.requests}`,
  ];
}
