// `/metrics` served by a real Mesh over HTTP: real requests through the real proxy to real
// upstreams, then a scrape of the admin port without any token, as Prometheus scrapes it. The
// answer must be 200, Prometheus text (its content type, and every line well-formed), and count
// exactly the requests each service received.
// Run with `npx vitest run main/mesh/metrics-endpoint.test.ts`.
import { afterEach, describe, expect, it } from 'vitest';
import { METRIC_NAMES } from './telemetry/metrics.js';
import { parsePrometheusText } from './telemetry/testing/prom-text.js';
import { proxyClient } from './telemetry/testing/send.js';
import { answering, listenUpstream } from './testing/http-upstream.js';
import { startTestMesh } from './testing/test-mesh.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function scrape(adminUrl: string): Promise<{ status: number; contentType: string | null; text: string }> {
  const answer = await fetch(`${adminUrl}/metrics`);
  return { status: answer.status, contentType: answer.headers.get('content-type'), text: await answer.text() };
}

describe('GET /metrics on a real mesh', () => {
  it('answers without a token, as Prometheus text, with the exact request count per service', async () => {
    const world = await listenUpstream(answering('world'), cleanups);
    const other = await listenUpstream(answering('other'), cleanups);
    const yaml = `services:\n  world:\n    instances: [127.0.0.1:${world}]\n  other:\n    instances: [127.0.0.1:${other}]\n`;
    const { adminUrl, proxyPort } = (await startTestMesh({ yaml, adminToken: 'secret', cleanups })).addresses;

    const send = proxyClient(proxyPort);
    const hello = { 'x-meshdesk-caller': 'hello' };
    for (let i = 0; i < 7; i++) expect(await send(`http://world/w${i}`, hello)).toEqual({ status: 200, body: 'world' });
    for (let i = 0; i < 3; i++) expect(await send(`http://other/o${i}`, hello)).toEqual({ status: 200, body: 'other' });

    // The same server refuses its API without the token: /metrics is open on purpose, not by accident.
    expect((await fetch(`${adminUrl}/api/info`)).status).toBe(401);

    // An event is counted as its exchange ends, a moment after the client has its answer.
    const requestsOf = async (service: string) => parsePrometheusText((await scrape(adminUrl)).text).sum(METRIC_NAMES.requests, { service });
    await expect.poll(() => requestsOf('world')).toBe(7);
    await expect.poll(() => requestsOf('other')).toBe(3);

    const answer = await scrape(adminUrl);
    expect(answer.status).toBe(200);
    expect(answer.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    const metrics = parsePrometheusText(answer.text);
    expect(metrics.types.get(METRIC_NAMES.requests)).toBe('counter');
    expect(metrics.types.get(METRIC_NAMES.duration)).toBe('histogram');
    const worldLabels = { service: 'world', version: 'default', caller: 'hello' };
    expect(metrics.sum(METRIC_NAMES.requests, { ...worldLabels, classification: 'success', status_class: '2xx' })).toBe(7);
    expect(metrics.sum(METRIC_NAMES.requests, { service: 'world' })).toBe(7);
    expect(metrics.sum(METRIC_NAMES.requests, { service: 'other' })).toBe(3);
    expect(metrics.sum(METRIC_NAMES.requests)).toBe(10);
    expect(metrics.sum(`${METRIC_NAMES.duration}_count`, worldLabels)).toBe(7);
  });
});
