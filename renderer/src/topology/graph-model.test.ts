import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../settings/settings-model.js';
import { buildGraph, healthOf, type ServiceNodeData } from './graph-model.js';
import { serviceRoute, serviceView, statsSnapshot } from './testing/mesh-fixtures.js';

const thresholds = DEFAULT_THRESHOLDS;
const demoServices = [
  serviceView('hello', { default: ['127.0.0.1:7001'] }),
  serviceView('world', { v1: ['127.0.0.1:7002'], v2: ['127.0.0.1:7003'] }, 'healthy'),
];

describe('buildGraph', () => {
  it('draws the demo: shell → hello → world@v1, each version a distinct target', () => {
    const stats = statsSnapshot([
      { caller: 'shell', service: 'hello', version: 'default', rps: 2 },
      { caller: 'hello', service: 'world', version: 'v1', rps: 2, successRate: 0.98, p99: 12 },
    ]);
    const graph = buildGraph({ services: demoServices, stats, routes: [serviceRoute('world', ['v1', 'v2'])], faults: [], thresholds });

    expect(graph.nodes.map((node) => node.id)).toEqual(['svc:hello', 'svc:world', 'caller:shell']);
    expect(graph.edges.map((edge) => [edge.id, edge.source, edge.target, edge.targetHandle])).toEqual([
      ['hello->world@v1', 'svc:hello', 'svc:world', 'v:v1'],
      ['shell->hello@default', 'caller:shell', 'svc:hello', 'v:default'],
    ]);
    const toWorld = graph.edges[0];
    expect(toWorld).toMatchObject({ rps: 2, successRate: 0.98, p99: 12, health: 'warn', idle: false });

    const world = graph.nodes[1]?.data as ServiceNodeData;
    expect(world.versions.map((version) => [version.name, version.share, version.instances.map((instance) => instance.health)])).toEqual([
      ['v1', 1, ['healthy']],
      ['v2', 0, ['healthy']],
    ]);
    expect(world.customRoute).toBe(false);
  });

  it('gives instances without a check their health from traffic, marked as such', () => {
    const refusing = { state: 'failing', reason: 'connection refused', lastSeen: 1 } as const;
    const services = [
      serviceView('gone', { default: ['127.0.0.1:9'] }, 'unknown', refusing),
      serviceView('world', { v1: ['127.0.0.1:7002'] }, 'healthy', refusing),
    ];
    const graph = buildGraph({ services, stats: null, routes: [], faults: [], thresholds });
    const dots = graph.nodes.map((node) => (node.data as ServiceNodeData).versions[0]?.instances[0]);
    expect(dots).toEqual([
      { address: '127.0.0.1:9', health: 'failing', source: 'traffic', summary: 'failing from traffic (connection refused); no health check' },
      { address: '127.0.0.1:7002', health: 'healthy', source: 'check', summary: 'check: healthy · traffic: failing · connection refused' },
    ]);
  });

  it('colours by the thresholds and fades edges without traffic', () => {
    expect(healthOf(null, thresholds)).toBe('none');
    expect(healthOf(0.995, thresholds)).toBe('good');
    expect(healthOf(0.97, thresholds)).toBe('warn');
    expect(healthOf(0.9, thresholds)).toBe('bad');
    expect(healthOf(0.97, { warnBelow: 0.95, errorBelow: 0.9 })).toBe('good');

    const stats = statsSnapshot([{ caller: 'hello', service: 'world', version: 'v1', rps: 0, successRate: 0.5 }]);
    const [edge] = buildGraph({ services: demoServices, stats, routes: null, faults: null, thresholds }).edges;
    expect(edge).toMatchObject({ idle: true, health: 'bad' });
  });

  it('groups every external host into one node with one edge per caller', () => {
    const stats = statsSnapshot(
      [
        { caller: 'shell', service: 'example.org', rps: 1, successRate: 1, p99: 100 },
        { caller: 'shell', service: '127.0.0.1:9000', rps: 3, successRate: 0.5, p99: 300 },
        { caller: 'hello', service: 'example.org', rps: 2 },
      ],
      ['example.org', '127.0.0.1:9000'],
    );
    const graph = buildGraph({ services: demoServices, stats, routes: null, faults: null, thresholds });
    const external = graph.nodes.find((node) => node.id === 'external');
    expect(external?.data).toMatchObject({ kind: 'external', hosts: ['127.0.0.1:9000', 'example.org'], rps: 6 });
    const fromShell = graph.edges.find((edge) => edge.id === 'shell->external');
    expect(fromShell).toMatchObject({ source: 'caller:shell', target: 'external', rps: 4, p99: 300, successRate: (60 + 90) / 240 });
    expect(graph.edges.find((edge) => edge.id === 'hello->external')?.source).toBe('svc:hello');
  });

  it('keeps a version-less edge only when no version answered, and shows versions seen only in traffic', () => {
    const stats = statsSnapshot([
      { caller: 'shell', service: 'world', version: null, rps: 1, successRate: 0 },
      { caller: 'hello', service: 'world', version: 'v3', rps: 1 },
    ]);
    const graph = buildGraph({ services: demoServices, stats, routes: null, faults: null, thresholds });
    expect(graph.edges.map((edge) => [edge.id, edge.targetHandle])).toEqual([
      ['hello->world@v3', 'v:v3'],
      ['shell->world', 'in'],
    ]);
    const world = graph.nodes.find((node) => node.id === 'svc:world')?.data as ServiceNodeData;
    expect(world.versions.map((version) => [version.name, version.registered, version.share])).toEqual([
      ['v1', true, null],
      ['v2', true, null],
      ['v3', false, null],
    ]);
  });

  it('marks custom routes, faults and services that left the registry', () => {
    const stats = statsSnapshot([{ caller: 'shell', service: 'gone', version: 'v1', rps: 1 }]);
    const graph = buildGraph({
      services: demoServices,
      stats,
      routes: [serviceRoute('world', ['v1', 'v2'], { v1: 1, v2: 3 })],
      faults: [{ service: 'world', percent: 10, abortStatus: 503 }],
      thresholds,
    });
    const world = graph.nodes.find((node) => node.id === 'svc:world');
    expect(world?.data).toMatchObject({ customRoute: true, faulted: true, registered: true });
    expect((world?.data as ServiceNodeData).versions.map((version) => version.share)).toEqual([0.25, 0.75]);
    expect(world?.height).toBeGreaterThan(graph.nodes.find((node) => node.id === 'svc:hello')?.height ?? Infinity);
    expect(graph.nodes.find((node) => node.id === 'svc:gone')?.data).toMatchObject({ registered: false });
  });

  it('is empty before the mesh has said anything', () => {
    expect(buildGraph({ services: null, stats: null, routes: null, faults: null, thresholds })).toEqual({ nodes: [], edges: [] });
  });
});
