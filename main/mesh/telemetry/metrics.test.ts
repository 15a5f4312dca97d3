// /metrics counts gRPC calls by gRPC status in meshdesk_grpc_calls_total (each also counted in
// meshdesk_requests_total by its HTTP status), and plain HTTP traffic adds no gRPC series. The
// events are the shared fixture's, recorded straight into MeshMetrics; the text is read by the
// strict Prometheus parser. Run: npx vitest run main/mesh/telemetry/metrics.test.ts
import { describe, expect, it } from 'vitest';
import type { RequestEvent } from '../../../shared/events.js';
import { event } from '../../../shared/testing/exchange-fixture.js';
import { MeshMetrics, METRIC_NAMES, METRICS_CONTENT_TYPE } from './metrics.js';
import { parsePrometheusText } from './testing/prom-text.js';

const greeter = { service: 'greeter', version: 'v1', caller: 'hello' };

function call(status: number | null, fields: Partial<RequestEvent> = {}): RequestEvent {
  return event({ ...greeter, method: 'POST', path: '/helloworld.Greeter/SayHello', status: 200, protocol: 'h2', grpc: { status, message: null }, ...fields });
}

describe('MeshMetrics gRPC calls', () => {
  it('counts gRPC calls by gRPC status name, per service, version and caller', async () => {
    const metrics = new MeshMetrics();
    for (let i = 0; i < 3; i++) metrics.record(call(0));
    metrics.record(call(14, { failed: true }));
    metrics.record(call(14, { failed: true }));
    metrics.record(call(5));
    metrics.record(call(null, { status: 0, failed: true }));
    metrics.record(call(99, { failed: true })); // past the table: UNKNOWN, as a gRPC client reads it
    metrics.record(call(0, { caller: 'shell' }));
    metrics.record(event(greeter)); // a plain HTTP request to the same service
    const text = parsePrometheusText(await metrics.text());

    expect(text.types.get(METRIC_NAMES.grpcCalls)).toBe('counter');
    const grpcCalls = (labels: Record<string, string>) => text.sum(METRIC_NAMES.grpcCalls, { ...greeter, ...labels });
    expect(grpcCalls({ grpc_status: 'OK' })).toBe(3);
    expect(grpcCalls({ grpc_status: 'UNAVAILABLE' })).toBe(2);
    expect(grpcCalls({ grpc_status: 'NOT_FOUND' })).toBe(1);
    expect(grpcCalls({ grpc_status: 'none' })).toBe(1);
    expect(grpcCalls({ grpc_status: 'UNKNOWN' })).toBe(1);
    expect(text.sum(METRIC_NAMES.grpcCalls, { ...greeter, caller: 'shell', grpc_status: 'OK' })).toBe(1);
    expect(text.sum(METRIC_NAMES.grpcCalls)).toBe(9);
    // Only the statuses seen, with exactly these labels.
    const series = text.samples.filter((sample) => sample.name === METRIC_NAMES.grpcCalls);
    expect(series).toHaveLength(6);
    for (const sample of series) expect(Object.keys(sample.labels).sort()).toEqual(['caller', 'grpc_status', 'service', 'version']);

    // Every call is a request too, judged by the mesh's rule; the plain request only there.
    expect(text.sum(METRIC_NAMES.requests, greeter)).toBe(9);
    expect(text.sum(METRIC_NAMES.requests, { ...greeter, classification: 'failure' })).toBe(4);
    expect(text.sum(METRIC_NAMES.requests)).toBe(10);
  });

  it('exports no gRPC series for plain HTTP traffic', async () => {
    const metrics = new MeshMetrics();
    metrics.record(event());
    metrics.record(event({ protocol: 'h2' }));
    const text = parsePrometheusText(await metrics.text());
    expect(text.samples.filter((sample) => sample.name === METRIC_NAMES.grpcCalls)).toEqual([]);
    expect(text.sum(METRIC_NAMES.requests)).toBe(2);
  });

  it('counts the gRPC calls of label sets past the cap under _other', async () => {
    const metrics = new MeshMetrics({ maxLabelSets: 1 });
    metrics.record(call(0));
    metrics.record(call(14, { service: 'elsewhere' }));
    const text = parsePrometheusText(await metrics.text());
    expect(text.sum(METRIC_NAMES.grpcCalls, { service: '_other', caller: '_other', grpc_status: 'UNAVAILABLE' })).toBe(1);
    expect(text.sum(METRIC_NAMES.grpcCalls, { ...greeter, grpc_status: 'OK' })).toBe(1);
  });
});

describe('MeshMetrics and prom-client', () => {
  it('answers with the content type prom-client gives its text', async () => {
    const { Registry } = await import('prom-client');
    expect(METRICS_CONTENT_TYPE).toBe(new Registry().contentType);
  });

  it('counts what arrived before the first scrape loaded prom-client, and after', async () => {
    const metrics = new MeshMetrics();
    metrics.record(event({ service: 'world', version: 'v1', caller: 'hello', status: 200 }));
    const first = parsePrometheusText(await metrics.text());
    metrics.record(event({ service: 'world', version: 'v1', caller: 'hello', status: 200 }));
    const second = parsePrometheusText(await metrics.text());
    expect(first.sum(METRIC_NAMES.requests, { service: 'world' })).toBe(1);
    expect(second.sum(METRIC_NAMES.requests, { service: 'world' })).toBe(2);
    expect(second.sum(`${METRIC_NAMES.duration}_count`, { service: 'world' })).toBe(2);
  });
});
