// The dashboard's state folds pushed batches: the stats history grows whatever page is open, so a
// panel opened later has the minutes before it. Run with `npx vitest run renderer/src/mesh-state.test.ts`.
import { describe, expect, it } from 'vitest';
import { MeshState } from './mesh-state.js';
import { historyKey } from './topology/stats-history.js';
import { statsSnapshot } from './topology/testing/mesh-fixtures.js';

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
});
