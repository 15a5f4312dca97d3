// The route table: reroute, rollback, history, config versus overrides, persistence, and the
// version choice every request makes from it.
import { describe, expect, it } from 'vitest';
import type { Route } from '../../../shared/routes.js';
import type { Instance, ServiceRecord } from '../registry/registry.js';
import { chooseVersion } from './choose-version.js';
import { RouteError, RouteTable, effectiveWeights } from './route-table.js';

function record(name: string, versions: string[]): ServiceRecord {
  return { name, versions: new Map(versions.map((version) => [version, [] as Instance[]])) };
}

function table(overrides: Record<string, Route> = {}) {
  const services = new Map([['world', record('world', ['v1', 'v2'])]]);
  const saved: Record<string, Route>[] = [];
  const routes = new RouteTable({ lookup: (name) => services.get(name), overrides, saveOverrides: (value) => saved.push(value) });
  return { routes, saved };
}

describe('RouteTable', () => {
  it('reroutes all traffic to a version, records who did it, and persists before answering', () => {
    const { routes, saved } = table();
    const changes: string[] = [];
    routes.onChange((change) => changes.push(`${change.service}:${change.origin}`));
    const view = routes.reroute({ service: 'world', version: 'v2', origin: 'gui' });
    expect(view.effectiveWeights).toEqual({ v1: 0, v2: 1 });
    expect(view.history[0]).toMatchObject({ origin: 'gui', before: null, after: { weights: { v2: 1 } } });
    expect(saved.at(-1)).toEqual({ world: { weights: { v2: 1 }, headerRules: [] } });
    expect(changes).toEqual(['world:gui']);
  });

  it('rolls back to the route before the last change', () => {
    const { routes } = table();
    routes.reroute({ service: 'world', weights: { v1: 80, v2: 20 }, origin: 'cli' });
    routes.reroute({ service: 'world', version: 'v2', origin: 'gui' });
    const back = routes.rollback('world');
    expect(back.effectiveWeights).toEqual({ v1: 0.8, v2: 0.2 });
    expect(back.history.map((change) => change.origin)).toEqual(['rollback', 'gui', 'cli']);
    expect(routes.rollback('world').effectiveWeights).toEqual({ v1: 0, v2: 1 });
  });

  it('refuses unknown services and versions, and a rollback with nothing to undo', () => {
    const { routes } = table();
    expect(() => routes.reroute({ service: 'nope', version: 'v1', origin: 'api' })).toThrow(new RouteError(404, 'unknown service nope'));
    expect(() => routes.reroute({ service: 'world', version: 'v9', origin: 'api' })).toThrow('service world has no version v9 (it has v1, v2)');
    expect(() => routes.rollback('world')).toThrow('service world has no route change to roll back');
  });

  it('keeps a persisted override over the config route until the config route itself changes', () => {
    const { routes, saved } = table({ world: { weights: { v2: 1 }, headerRules: [] } });
    routes.applyConfig(new Map());
    expect(routes.get('world')?.weights).toEqual({ v2: 1 });
    routes.applyConfig(new Map([['world', { weights: { v1: 50, v2: 50 }, headerRules: [] }]]));
    expect(routes.get('world')?.weights).toEqual({ v1: 50, v2: 50 });
    expect(saved.at(-1)).toEqual({});
  });
});

describe('effectiveWeights', () => {
  it('normalises weights and defaults to the first version', () => {
    expect(effectiveWeights(['v1', 'v2'], null)).toEqual({ v1: 1, v2: 0 });
    expect(effectiveWeights(['v1', 'v2', 'v3'], { weights: { v1: 3, v3: 1 }, headerRules: [] })).toEqual({ v1: 0.75, v2: 0, v3: 0.25 });
  });
});

describe('chooseVersion', () => {
  const route: Route = { weights: { v1: 80, v2: 20 }, headerRules: [{ header: 'x-canary', value: '1', version: 'v2' }] };

  it('splits 80/20 within ±3% over 5,000 requests', () => {
    const counts = { v1: 0, v2: 0 };
    for (let i = 0; i < 5_000; i++) counts[chooseVersion('world', ['v1', 'v2'], route, {})?.version as 'v1' | 'v2']++;
    expect(Math.abs(counts.v1 / 5_000 - 0.8)).toBeLessThan(0.03);
  });

  it('lets the override header beat header rules and weights every time, and says why', () => {
    for (let i = 0; i < 200; i++) {
      expect(chooseVersion('world', ['v1', 'v2'], route, { 'x-meshdesk-route': 'other=v2, world=v1', 'x-canary': '1' })).toEqual({
        version: 'v1',
        reason: 'override header x-meshdesk-route: world=v1',
      });
    }
    expect(chooseVersion('world', ['v1', 'v2'], route, { 'x-canary': '1' })).toEqual({ version: 'v2', reason: 'header rule x-canary: 1' });
    expect(chooseVersion('world', ['v1', 'v2'], route, {}, () => 0.9)).toEqual({ version: 'v2', reason: 'weight 20%' });
    expect(chooseVersion('world', ['v1', 'v2'], undefined, { 'x-meshdesk-route': 'world=v9' })).toEqual({ version: 'v1', reason: 'default: first version' });
  });
});
