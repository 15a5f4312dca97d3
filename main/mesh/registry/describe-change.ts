/** A registry change as `meshdesk serve` logs it: `services +1 ~2`, or one instance's health transition. */
import type { RegistryChange } from './registry.js';

export function describeRegistryChange(change: RegistryChange): string {
  if (change.kind === 'health') {
    return `meshdesk: health ${change.service}@${change.version} ${change.address} ${change.from} -> ${change.to}: ${change.reason}`;
  }
  const parts = [
    ['+', change.added],
    ['-', change.removed],
    ['~', change.changed],
  ] as const;
  return `meshdesk: services ${parts
    .filter(([, keys]) => keys.length > 0)
    .map(([sign, keys]) => `${sign}${keys.length}`)
    .join(' ')}`;
}
