/**
 * What the diff engine compares: one answer as the shadow sender captured it, before it is cut
 * down into a DiffSide for storage. Bytes are kept as on the wire so that content-encoding is
 * undone here, once, by the engine that needs the decoded body.
 */
import type { Difference } from '../../../../shared/shadow.js';

export interface Answer {
  /** 0 when no answer came. */
  status: number;
  /** Why no answer came; null when one did. */
  error: string | null;
  /** Response header pairs, names in any case, repeated names allowed. */
  headers: readonly (readonly [string, string])[];
  /** As on the wire: possibly content-encoded (gzip, deflate, br). */
  body: Uint8Array | null;
  /** Only the first bytes were captured. */
  bodyTruncated: boolean;
}

/** A difference as compareAnswers finds it: whether it is noise is up to the endpoint's history (DiffBook). */
export type RawDifference = Omit<Difference, 'noisy'>;
