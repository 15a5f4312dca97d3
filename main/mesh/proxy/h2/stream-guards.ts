/**
 * Limits on what one HTTP/2 client may make the mesh do, beyond what Node's nghttp2 enforces:
 * - the header list size is checked on every stream: nghttp2 applies the advertised limit only once
 *   the client has acknowledged the mesh's SETTINGS, so a client's first requests (or one that never
 *   acknowledges) could send up to ~144 KiB of headers, which the mesh would then forward;
 * - streams reset by the client before any answer (the rapid reset attack, CVE-2023-44487): each
 *   costs the mesh an upstream stream, and enough of them make an instance's nghttp2 cut the shared
 *   connection that every other client's calls ride on. Past a count, and when they are most of
 *   the session's streams (as Envoy judges it), the session is ended with ENHANCE_YOUR_CALM.
 */

/** RFC 7541 §4.1: each field counts its name, its value and 32 bytes. */
export function headerListSize(rawHeaders: readonly string[]): number {
  let size = 0;
  for (const part of rawHeaders) size += part.length;
  return size + (rawHeaders.length / 2) * 32;
}

/** Early resets a session may make before its share of them is judged. */
const EARLY_RESETS_ALLOWED = 100;

export class ResetGuard {
  private opened = 0;
  private earlyResets = 0;

  streamOpened(): void {
    this.opened++;
  }

  /** A stream the client reset before any answer; true when the session has done so too often. */
  resetEarly(): boolean {
    this.earlyResets++;
    return this.earlyResets > EARLY_RESETS_ALLOWED && this.earlyResets * 2 > this.opened;
  }
}
