// The dashboard's state folds pushed batches: the stats history grows whatever page is open, so a
// panel opened later has the minutes before it; a batch that does not fit the contract is rejected
// whole, with the reason kept for the page to show. Run with `npx vitest run renderer/src/mesh-state.test.ts`.
import { describe, expect, it } from 'vitest';
import type { RequestEvent } from '../../shared/events.js';
import { event, proxiedExchange } from '../../shared/testing/exchange-fixture.js';
import { shadowView } from './diffs/testing/shadow-fixtures.js';
import { MeshState } from './mesh-state.js';
import { historyKey } from './topology/stats-history.js';
import { serviceView, statsSnapshot } from './topology/testing/mesh-fixtures.js';

describe('MeshState', () => {
  it('keeps a stats history from every pushed snapshot, once each', () => {
    const state = new MeshState();
    for (let second = 1; second <= 3; second++) {
      const stats = statsSnapshot([{ caller: 'hello', service: 'world', version: 'v1', rps: second }], [], second * 1000);
      state.apply({ seq: second, items: [{ kind: 'stats', stats }], dropped: 0 });
      // The same snapshot again (a reconnect's initial state) adds nothing.
      state.apply({ seq: second, items: [{ kind: 'stats', stats }], dropped: 0 });
    }
    expect(state.history.values(historyKey.service('world'), 'rps')).toEqual([1, 2, 3]);
    expect(state.history.values(historyKey.edge('hello', 'world', 'v1'), 'rps')).toEqual([1, 2, 3]);
    expect(state.current.stats?.at).toBe(3000);
  });

  it('applies a batch that fits the contract, and rejects one that does not, whole and with its reason', () => {
    const state = new MeshState();
    const pushed: RequestEvent[][] = [];
    state.subscribeRequests((events) => pushed.push([...events]));
    const services = [serviceView('world', { v1: ['127.0.0.1:7002'] })];
    expect(
      state.receive(
        JSON.stringify({
          seq: 1,
          items: [
            { kind: 'services', services },
            { kind: 'request', event: event({ status: 404, failed: true }) },
          ],
          dropped: 0,
        }),
      ),
    ).toBe(true);
    expect(state.current).toMatchObject({ services, pushError: null });
    expect(pushed).toEqual([[expect.objectContaining({ status: 404, failed: true })]]);

    // A request event the telemetry never judged (no `failed`), after a state item that does fit.
    const unjudged = {
      seq: 2,
      items: [
        { kind: 'services', services: [] },
        { kind: 'request', event: proxiedExchange() },
      ],
      dropped: 0,
    };
    expect(state.receive(JSON.stringify(unjudged))).toBe(false);
    expect(state.current.services).toEqual(services);
    expect(pushed).toHaveLength(1);
    expect(state.current.pushError).toMatch(/^the mesh sent a push batch that does not fit the contract \(.*items\.1\.event\.failed: /);

    expect(state.receive('not json')).toBe(false);
    expect(state.current.pushError).toBe('the mesh sent a push batch that is not JSON');
  });

  it('keeps the shadow rules the mesh last pushed, in place of the ones before', () => {
    const state = new MeshState();
    expect(state.current.shadows).toBeNull();
    const started = [shadowView({ pairs: 3, differing: 1 })];
    expect(state.receive(JSON.stringify({ seq: 1, items: [{ kind: 'shadows', shadows: started }], dropped: 0 }))).toBe(true);
    expect(state.current.shadows).toEqual(started);
    // Stopped: the mesh pushes the list without it.
    state.apply({ seq: 2, items: [{ kind: 'shadows', shadows: [] }], dropped: 0 });
    expect(state.current.shadows).toEqual([]);
  });

  it('says when request events are wanted, once per change, and tells each reopening at once', () => {
    const state = new MeshState();
    const demand: boolean[] = [];
    state.onRequestDemand(() => demand.push(state.wantsRequests));
    expect(state.wantsRequests).toBe(false);
    const offFirst = state.subscribeRequests(() => undefined);
    const offSecond = state.subscribeRequests(() => undefined);
    offFirst();
    offFirst();
    offSecond();
    expect(demand).toEqual([true, false]);

    let reopened = 0;
    state.onConnected(() => reopened++);
    state.setConnected(true);
    // Closed and reopened before any frame: still told, twice in all.
    state.setConnected(false);
    state.setConnected(true);
    expect(reopened).toBe(2);
  });
});
