import { describe, expect, it } from 'vitest';
import { historyKey, StatsHistory } from './stats-history.js';
import { statsSnapshot } from './testing/mesh-fixtures.js';

describe('StatsHistory', () => {
  it('keeps a bounded series per service and version, newest last', () => {
    const history = new StatsHistory(3);
    for (let second = 1; second <= 5; second++) {
      history.add(statsSnapshot([{ caller: 'hello', service: 'world', version: 'v1', rps: second }], [], second * 1000));
    }
    expect(history.values(historyKey.service('world'), 'rps')).toEqual([3, 4, 5]);
    expect(history.samples(historyKey.version('world', 'v1')).map((sample) => sample.at)).toEqual([3000, 4000, 5000]);
    expect(history.values(historyKey.service('nobody'), 'rps')).toEqual([]);
  });

  it('ignores a snapshot it already has, so a repeated render adds nothing', () => {
    const history = new StatsHistory();
    const snapshot = statsSnapshot([{ caller: 'a', service: 'b', version: 'v1', rps: 1 }], [], 5000);
    expect(history.add(snapshot)).toBe(true);
    expect(history.add(snapshot)).toBe(false);
    expect(history.add({ ...snapshot, at: 4000 })).toBe(false);
    expect(history.samples(historyKey.service('b'))).toHaveLength(1);
  });

  it('forgets services that stopped appearing once their window has passed', () => {
    const history = new StatsHistory(4);
    history.add(statsSnapshot([{ caller: 'a', service: 'gone', version: 'v1', rps: 1 }], [], 1000));
    for (let second = 2; second <= 12; second++) history.add(statsSnapshot([{ caller: 'a', service: 'kept', version: 'v1', rps: 1 }], [], second * 1000));
    expect(history.samples(historyKey.service('gone'))).toEqual([]);
    expect(history.samples(historyKey.service('kept'))).toHaveLength(4);
    expect(history.samples(historyKey.edge('a', 'gone', 'v1'))).toEqual([]);
    expect(history.samples(historyKey.edge('a', 'kept', 'v1'))).toHaveLength(4);
    const keptKeys = [historyKey.service('kept'), historyKey.version('kept', 'v1'), historyKey.edge('a', 'kept', null), historyKey.edge('a', 'kept', 'v1')];
    expect(keptKeys.filter((key) => history.samples(key).length > 0)).toHaveLength(history.size);
  });
});
