// The Grafana dashboard queries only what Meshdesk exports: every metric name in its PromQL (panel
// targets and variables) must appear in the /metrics text of a real mesh that has proxied traffic,
// and every label it filters, groups or labels a legend by must be a label of those metrics.
// Run with `npx vitest run resources/grafana/dashboard.test.ts`.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { METRIC_NAMES } from '../../main/mesh/telemetry/metrics.js';
import { Telemetry } from '../../main/mesh/telemetry/telemetry.js';
import { parsePrometheusText, type Sample } from '../../main/mesh/telemetry/testing/prom-text.js';
import { startControlledUpstream, startRealProxy } from '../../main/mesh/telemetry/testing/real-proxy.js';
import { proxyClient } from '../../main/mesh/telemetry/testing/send.js';

interface Target {
  expr: string;
  legendFormat?: string;
}
interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: unknown;
  targets?: Target[];
}
interface Dashboard {
  uid: string;
  panels: Panel[];
  templating: { list: { name: string; type: string; query: string | { query: string } }[] };
}

const dashboard = JSON.parse(readFileSync(new URL('./meshdesk-dashboard.json', import.meta.url), 'utf8')) as Dashboard;

interface Query {
  where: string;
  expr: string;
  legend: string | null;
}

function queries(): Query[] {
  const fromPanels = dashboard.panels.flatMap((panel) =>
    (panel.targets ?? []).map((target) => ({ where: `panel "${panel.title}"`, expr: target.expr, legend: target.legendFormat ?? null })),
  );
  const fromVariables = dashboard.templating.list
    .filter((variable) => variable.type === 'query')
    .map((variable) => ({
      where: `variable $${variable.name}`,
      expr: typeof variable.query === 'string' ? variable.query : variable.query.query,
      legend: null,
    }));
  return [...fromPanels, ...fromVariables];
}

const metricNamesIn = (expr: string) => [...new Set(expr.match(/\bmeshdesk_[a-z_]+\b/g) ?? [])];

/** Label names an expression relies on: in selectors, `by (…)`, and label_values(metric, label). */
function labelsIn(expr: string): { selected: string[]; grouped: string[] } {
  const selected = [...expr.matchAll(/\{([^}]*)\}/g)].flatMap((match) =>
    [...(match[1] as string).matchAll(/([a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)/g)].map((label) => label[1] as string),
  );
  const grouped = [
    ...[...expr.matchAll(/\bby \(([^)]*)\)/g)].flatMap((match) => (match[1] as string).split(',').map((label) => label.trim())),
    ...[...expr.matchAll(/label_values\([^,]+,\s*(\w+)\)/g)].map((match) => match[1] as string),
  ];
  return { selected, grouped };
}

async function exportedSamples(): Promise<Sample[]> {
  const proxy = await startRealProxy();
  const upstream = await startControlledUpstream();
  proxy.register({ world: { v1: [upstream.address] } });
  const telemetry = new Telemetry();
  telemetry.attach(proxy.bus);
  const send = proxyClient(proxy.port);
  await send('http://world/ok', { 'x-meshdesk-caller': 'hello' });
  await send('http://world/broken?status=500');
  await expect.poll(() => proxy.events.length).toBe(2);
  return parsePrometheusText(await telemetry.metricsText()).samples;
}

describe('the Grafana dashboard', () => {
  it('queries only metrics and labels that /metrics exports', async () => {
    const samples = await exportedSamples();
    const exported = new Set(samples.map((sample) => sample.name));
    const labelsOf = (name: string) => new Set(samples.filter((sample) => sample.name === name).flatMap((sample) => Object.keys(sample.labels)));
    const all = queries();
    expect(all.length).toBeGreaterThan(10);
    for (const { where, expr, legend } of all) {
      const names = metricNamesIn(expr);
      expect(names.length, `${where} queries no Meshdesk metric: ${expr}`).toBeGreaterThan(0);
      const { selected, grouped } = labelsIn(expr);
      for (const name of names) {
        expect(exported, `${where} queries ${name}, which /metrics does not export`).toContain(name);
        for (const label of [...selected, ...grouped]) expect(labelsOf(name), `${where}: ${name} has no label ${label}`).toContain(label);
      }
      for (const match of (legend ?? '').matchAll(/\{\{\s*(\w+)\s*\}\}/g)) {
        expect(grouped, `${where}: legend uses {{${match[1]}}}, which the query does not keep`).toContain(match[1]);
      }
    }
  });

  it('plots request rate, success rate and latency percentiles by service, version and caller', () => {
    const exprs = queries().map((query) => query.expr);
    for (const by of ['service', 'service, version', 'caller, service']) {
      expect(exprs.some((expr) => expr.includes(`sum by (${by}) (rate(${METRIC_NAMES.requests}`))).toBe(true);
      expect(exprs.some((expr) => expr.includes(`classification="success"`) && expr.includes(`by (${by})`))).toBe(true);
      for (const quantile of ['0.5', '0.95', '0.99']) {
        expect(exprs).toContainEqual(expect.stringContaining(`histogram_quantile(${quantile}, sum by (le, ${by}) (rate(${METRIC_NAMES.duration}_bucket`));
      }
    }
  });

  it('is a well-formed dashboard: unique panel ids, a data source on every query panel', () => {
    const ids = dashboard.panels.map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of dashboard.panels.filter((one) => one.type !== 'row')) expect(panel.datasource, panel.title).toBeDefined();
    expect(dashboard.uid).toBe('meshdesk');
  });
});
