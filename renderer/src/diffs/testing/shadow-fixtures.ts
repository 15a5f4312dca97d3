/** Shadow views, diffs and pairs as the mesh sends them, for the dashboard's unit tests. */
import type { DiffPair, DiffSide, EndpointDiffs, ServiceDiffs, ShadowView } from '../../../../shared/shadow.js';

export function shadowView(overrides: Partial<ShadowView> = {}): ShadowView {
  return {
    service: 'world',
    to: 'v2',
    from: null,
    percent: 100,
    methods: [],
    ignoreHeaders: [],
    origin: 'gui',
    since: '2025-01-01T12:00:00.000Z',
    warning: null,
    stats: { mirrored: 0, answered: 0, failed: 0, dropped: 0, skipped: 0, pending: 0, p50Ms: null, p99Ms: null, noiseProbes: 0 },
    pairs: 0,
    differing: 0,
    ...overrides,
  };
}

export function endpointDiffs(overrides: Partial<EndpointDiffs> = {}): EndpointDiffs {
  return { method: 'GET', pattern: '/greeting', pairs: 10, differing: 10, fields: [], noisy: [], lastPairId: 10, ...overrides };
}

export function serviceDiffs(overrides: Partial<ServiceDiffs> = {}): ServiceDiffs {
  return { service: 'world', shadow: shadowView(), pairs: 0, differing: 0, endpoints: [], ...overrides };
}

export function diffSide(overrides: Partial<DiffSide> = {}): DiffSide {
  return { version: 'v1', instance: '127.0.0.1:7002', exchangeId: 1, status: 200, error: null, headers: [], body: null, ms: 2, ...overrides };
}

export function diffPair(overrides: Partial<DiffPair> = {}): DiffPair {
  return {
    id: 1,
    service: 'world',
    method: 'GET',
    path: '/greeting',
    pattern: '/greeting',
    at: Date.UTC(2025, 0, 1, 12),
    verdict: 'same',
    primary: diffSide(),
    shadow: diffSide({ version: 'v2', instance: '127.0.0.1:7003', exchangeId: 2 }),
    differences: [],
    ...overrides,
  };
}
