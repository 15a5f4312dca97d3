/** Health by success rate, against the user's thresholds (settings): one rule for edges, services and the legend. */
import type { Thresholds } from '../settings/settings-model.js';

/** Success-rate health; `none` when nothing was measured in the window. */
export type Health = 'good' | 'warn' | 'bad' | 'none';

export function healthOf(successRate: number | null, thresholds: Thresholds): Health {
  if (successRate === null) return 'none';
  if (successRate < thresholds.errorBelow) return 'bad';
  if (successRate < thresholds.warnBelow) return 'warn';
  return 'good';
}
