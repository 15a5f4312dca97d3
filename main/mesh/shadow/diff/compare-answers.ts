/**
 * Compares the primary's answer with the shadow's, field by field (the fields are named in
 * shared/shadow.ts's Difference). Pure: what is noise is the DiffBook's business, from the
 * endpoint's history.
 *
 * When either side got no answer, only `status` is reported (with the error as its value): every
 * header and the body would differ too, and say nothing more. When neither got one, the pair is
 * the same: both failed, and error texts differ by ports and timings.
 */
import type { Answer, RawDifference } from './answer.js';
import { compareBodies } from './compare-bodies.js';
import { compareHeaders } from './compare-headers.js';
import { cut } from './render.js';

export function compareAnswers(primary: Answer, shadow: Answer, ignoredHeaders: ReadonlySet<string>): RawDifference[] {
  const primaryFailed = failed(primary);
  const shadowFailed = failed(shadow);
  if (primaryFailed && shadowFailed) return [];
  if (primaryFailed || shadowFailed) return [{ field: 'status', kind: 'changed', primary: renderStatus(primary), shadow: renderStatus(shadow) }];
  const differences: RawDifference[] = [];
  if (primary.status !== shadow.status) {
    differences.push({ field: 'status', kind: 'changed', primary: String(primary.status), shadow: String(shadow.status) });
  }
  differences.push(...compareHeaders(primary.headers, shadow.headers, ignoredHeaders));
  differences.push(...compareBodies(primary, shadow));
  return differences;
}

function failed(answer: Answer): boolean {
  return answer.status === 0;
}

function renderStatus(answer: Answer): string {
  return failed(answer) ? cut(answer.error ?? 'no answer') : String(answer.status);
}
