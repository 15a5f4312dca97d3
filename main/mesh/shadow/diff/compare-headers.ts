/**
 * Response headers compared by lower-case name, minus those that differ between any two answers
 * (DEFAULT_DIFF_IGNORED_HEADERS) and the rule's own. A repeated header (set-cookie) is compared as
 * its values joined in order.
 */
import { DEFAULT_DIFF_IGNORED_HEADERS } from '../../../../shared/shadow.js';
import type { Answer, RawDifference } from './answer.js';
import { cut } from './render.js';

const DEFAULT_IGNORED = new Set(DEFAULT_DIFF_IGNORED_HEADERS);

export function compareHeaders(primary: Answer['headers'], shadow: Answer['headers'], ignoredHeaders: ReadonlySet<string>): RawDifference[] {
  const primaryValues = byName(primary, ignoredHeaders);
  const shadowValues = byName(shadow, ignoredHeaders);
  const differences: RawDifference[] = [];
  for (const [name, value] of primaryValues) {
    const other = shadowValues.get(name);
    if (other === undefined) differences.push({ field: `header ${name}`, kind: 'removed', primary: cut(value), shadow: null });
    else if (other !== value) differences.push({ field: `header ${name}`, kind: 'changed', primary: cut(value), shadow: cut(other) });
  }
  for (const [name, value] of shadowValues) {
    if (!primaryValues.has(name)) differences.push({ field: `header ${name}`, kind: 'added', primary: null, shadow: cut(value) });
  }
  return differences;
}

function byName(headers: Answer['headers'], ignoredHeaders: ReadonlySet<string>): Map<string, string> {
  const values = new Map<string, string>();
  for (const [rawName, value] of headers) {
    const name = rawName.toLowerCase();
    if (DEFAULT_IGNORED.has(name) || ignoredHeaders.has(name)) continue;
    const earlier = values.get(name);
    values.set(name, earlier === undefined ? value : `${earlier}, ${value}`);
  }
  return values;
}
