/**
 * Latency figures as the benchmark keeps them: HDR histograms in microseconds (1 µs to 60 s, three
 * significant digits), read out as milliseconds, and merged across rounds from their encoded form
 * (each round's generator is a process of its own and sends its histogram back as text).
 */
import { build, decodeFromCompressedBase64, type Histogram } from 'hdr-histogram-js';
import type { Percentiles } from './load-result.js';

export function newLatencyHistogram(): Histogram {
  return build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
}

export function percentilesMs(histogram: Histogram): Percentiles {
  const ms = (us: number) => Math.round(us) / 1_000;
  return {
    p50: ms(histogram.getValueAtPercentile(50)),
    p90: ms(histogram.getValueAtPercentile(90)),
    p99: ms(histogram.getValueAtPercentile(99)),
    p999: ms(histogram.getValueAtPercentile(99.9)),
    max: ms(histogram.maxValue),
    mean: ms(histogram.mean),
  };
}

/** The percentiles of all the given rounds' requests together. */
export function mergedPercentiles(encoded: readonly string[]): Percentiles {
  const merged = newLatencyHistogram();
  for (const text of encoded) merged.add(decodeFromCompressedBase64(text));
  return percentilesMs(merged);
}
