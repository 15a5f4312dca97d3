import { build } from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { newHistogram } from './window-series.js';

describe('the latency histogram', () => {
  it("is the histogram hdr-histogram-js's build makes for 32-bit buckets without WebAssembly", () => {
    const built = build({
      bitBucketSize: 32,
      autoResize: true,
      lowestDiscernibleValue: 1,
      highestTrackableValue: 2,
      numberOfSignificantValueDigits: 2,
      useWebAssembly: false,
    });
    const ours = newHistogram();
    expect(ours.constructor).toBe(built.constructor);
    expect(ours.autoResize).toBe(true);
    for (const value of [120, 450, 900, 15_000, 2_500_000]) {
      ours.recordValue(value);
      built.recordValue(value);
    }
    for (const percentile of [50, 90, 99, 100]) expect(ours.getValueAtPercentile(percentile)).toBe(built.getValueAtPercentile(percentile));
    // Within 1% (2 significant digits), resizing past the initial range of 2.
    expect(ours.getValueAtPercentile(100)).toBeGreaterThanOrEqual(2_475_000);
    expect(ours.getValueAtPercentile(100)).toBeLessThanOrEqual(2_525_000);
  });
});
