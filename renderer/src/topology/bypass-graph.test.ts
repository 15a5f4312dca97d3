// Bypasses on the graph model: a dashed edge per bypass into the version it reached, from the
// service the process serves or from a caller node of its own, and none for a service not on the
// graph. Run: npx vitest run renderer/src/topology/bypass-graph.test.ts
import { describe, expect, it } from 'vitest';
import type { Bypass } from '../../../shared/bypass.js';
import { DEFAULT_THRESHOLDS } from '../settings/settings-model.js';
import { buildGraph } from './graph-model.js';
import { serviceView, statsSnapshot } from './testing/mesh-fixtures.js';

const services = [serviceView('hello', { default: ['127.0.0.1:7001'] }), serviceView('world', { v1: ['127.0.0.1:7002'], v2: ['127.0.0.1:7003'] })];

function bypass(changes: Partial<Bypass>): Bypass {
  return {
    id: '4242:node>world',
    caller: 'node pid 4242',
    callerService: null,
    pid: 4242,
    command: 'node',
    runtime: 'node',
    service: 'world',
    version: 'v2',
    instances: ['127.0.0.1:7003'],
    reason: "likely: Node's fetch ignores http_proxy without NODE_USE_ENV_PROXY=1",
    fix: 'start it with NODE_USE_ENV_PROXY=1',
    firstSeen: 1,
    lastSeen: 1,
    connections: 1,
    open: 1,
    ...changes,
  };
}

describe('bypass edges', () => {
  it('draws one from a process of its own, and one from the service a process serves, into the version reached', () => {
    const graph = buildGraph({
      services,
      stats: statsSnapshot([{ caller: 'hello', service: 'world', version: 'v1', rps: 2 }]),
      routes: [],
      faults: [],
      thresholds: DEFAULT_THRESHOLDS,
      bypasses: [bypass({}), bypass({ id: '77:python3>world', caller: 'hello', callerService: 'hello', version: 'v1', instances: ['127.0.0.1:7002'] })],
    });

    expect(graph.bypasses?.map((edge) => [edge.id, edge.source, edge.target, edge.targetHandle])).toEqual([
      ['bypass:4242:node>world', 'caller:node pid 4242', 'svc:world', 'v:v2'],
      ['bypass:77:python3>world', 'svc:hello', 'svc:world', 'v:v1'],
    ]);
    expect(graph.nodes.map((node) => node.id)).toEqual(['svc:hello', 'svc:world', 'caller:node pid 4242']);
    expect(graph.edges.map((edge) => edge.id)).toEqual(['hello->world@v1']);
  });

  it('draws none for a service the graph does not show, and goes to the service itself for an unknown version', () => {
    const graph = buildGraph({
      services,
      stats: null,
      routes: null,
      faults: null,
      thresholds: DEFAULT_THRESHOLDS,
      bypasses: [bypass({ service: 'gone' }), bypass({ id: '5:java>world', caller: 'java pid 5', version: 'v9' })],
    });
    expect(graph.bypasses?.map((edge) => [edge.id, edge.targetHandle])).toEqual([['bypass:5:java>world', 'in']]);
    expect(graph.nodes.map((node) => node.id)).toEqual(['svc:hello', 'svc:world', 'caller:java pid 5']);
  });
});
