/**
 * Undoes a response's content-encoding before bodies are compared: two versions may compress the
 * same answer differently (or one not at all), and compressed bytes say nothing about which field
 * changed. Synchronous zlib is fine here: the bodies are the captured ones, small by construction,
 * and the output is capped so that a compression bomb cannot blow up the mesh's memory.
 */
import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';

/** Decoded bodies larger than this are not decoded: they are compared as on the wire. */
export const MAX_DECODED_BYTES = 8 * 1024 * 1024;

/** The body with its content-encodings undone; the bytes as given when there is none or one fails. */
export function decodeBody(body: Uint8Array, headers: readonly (readonly [string, string])[]): Uint8Array {
  const codings = contentCodings(headers);
  if (codings.length === 0 || body.length === 0) return body;
  try {
    let decoded = body;
    // Codings are listed in the order they were applied: undo the last first.
    for (const coding of codings.reverse()) decoded = undo(coding, decoded);
    return decoded;
  } catch {
    return body;
  }
}

function contentCodings(headers: readonly (readonly [string, string])[]): string[] {
  const codings: string[] = [];
  for (const [name, value] of headers) {
    if (name.toLowerCase() !== 'content-encoding') continue;
    for (const coding of value.split(',')) {
      const trimmed = coding.trim().toLowerCase();
      if (trimmed !== '' && trimmed !== 'identity') codings.push(trimmed);
    }
  }
  return codings;
}

function undo(coding: string, body: Uint8Array): Uint8Array {
  const options = { maxOutputLength: MAX_DECODED_BYTES };
  switch (coding) {
    case 'gzip':
    case 'x-gzip':
      return gunzipSync(body, options);
    case 'deflate':
      // HTTP's deflate is zlib-wrapped, but enough servers send raw deflate that both are accepted.
      try {
        return inflateSync(body, options);
      } catch {
        return inflateRawSync(body, options);
      }
    case 'br':
      return brotliDecompressSync(body, options);
    default:
      throw new Error(`unknown content-encoding ${coding}`);
  }
}
