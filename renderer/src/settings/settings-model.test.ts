import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, dragGuard, parseSettings, serializeSettings, thresholdsFromPercent } from './settings-model.js';

describe('dashboard settings', () => {
  it('round-trips through the stored text', () => {
    const settings = { theme: 'dark' as const, thresholds: { warnBelow: 0.98, errorBelow: 0.9 }, guardDrags: { enabled: false, forSeconds: 30 } };
    expect(parseSettings(serializeSettings(settings))).toEqual(settings);
  });

  it('falls back to the defaults for nothing stored or broken JSON', () => {
    expect(parseSettings(null)).toEqual(DEFAULT_SETTINGS);
    expect(parseSettings('{not json')).toEqual(DEFAULT_SETTINGS);
    expect(parseSettings('42')).toEqual(DEFAULT_SETTINGS);
  });

  it('keeps the good fields of a partly bad value', () => {
    expect(parseSettings(JSON.stringify({ theme: 'light', thresholds: { warnBelow: 7 } }))).toEqual({
      theme: 'light',
      thresholds: DEFAULT_SETTINGS.thresholds,
      guardDrags: DEFAULT_SETTINGS.guardDrags,
    });
    expect(parseSettings(JSON.stringify({ theme: 'sepia', thresholds: { warnBelow: 0.9, errorBelow: 0.5 } }))).toEqual({
      theme: 'system',
      thresholds: { warnBelow: 0.9, errorBelow: 0.5 },
      guardDrags: DEFAULT_SETTINGS.guardDrags,
    });
  });

  it('guards drags by default for 60 s, and not once turned off', () => {
    expect(dragGuard(DEFAULT_SETTINGS)).toEqual({ forSeconds: 60 });
    expect(dragGuard({ ...DEFAULT_SETTINGS, guardDrags: { enabled: false, forSeconds: 60 } })).toBeUndefined();
    expect(parseSettings(JSON.stringify({ guardDrags: { enabled: 'yes' } })).guardDrags).toEqual({ enabled: true, forSeconds: 60 });
  });

  it('validates thresholds typed as percentages', () => {
    expect(thresholdsFromPercent('99', '95')).toEqual({ ok: true, thresholds: { warnBelow: 0.99, errorBelow: 0.95 } });
    expect(thresholdsFromPercent('abc', '95')).toMatchObject({ ok: false, field: 'warn' });
    expect(thresholdsFromPercent('99', '101')).toMatchObject({ ok: false, field: 'error' });
    expect(thresholdsFromPercent('90', '95')).toMatchObject({ ok: false, field: 'error', message: expect.stringContaining('red') });
  });
});
