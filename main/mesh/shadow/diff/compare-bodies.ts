/**
 * Body comparison, by the richest form both sides share: JSON structure, else text lines, else a
 * hash. Bodies are decoded from their content-encoding first. A truncated capture cannot be parsed
 * or decoded whole, so then only the captured bytes are compared, and the difference says so.
 */
import { createHash } from 'node:crypto';
import type { Answer, RawDifference } from './answer.js';
import { decodeBody } from './decode-body.js';
import { diffJson } from './json-diff.js';
import { diffLines } from './line-diff.js';
import { cut } from './render.js';

type Headers = Answer['headers'];

const EMPTY = new Uint8Array(0);
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;

export function compareBodies(primary: Answer, shadow: Answer): RawDifference[] {
  const primaryBytes = primary.body ?? EMPTY;
  const shadowBytes = shadow.body ?? EMPTY;
  if (primary.bodyTruncated || shadow.bodyTruncated) return compareCaptured(primary, shadow);

  const primaryBody = decodeBody(primaryBytes, primary.headers);
  const shadowBody = decodeBody(shadowBytes, shadow.headers);
  if (sameBytes(primaryBody, shadowBody)) return [];

  const primaryText = utf8(primaryBody);
  const shadowText = utf8(shadowBody);
  const primaryJson = primaryText === null ? NOT_JSON : parseJson(primaryText, primary.headers);
  const shadowJson = shadowText === null ? NOT_JSON : parseJson(shadowText, shadow.headers);
  if (primaryJson !== NOT_JSON && shadowJson !== NOT_JSON) return diffJson(primaryJson, shadowJson);
  if (primaryJson !== NOT_JSON || shadowJson !== NOT_JSON) {
    // One side is JSON and the other is not: field by field would say nothing useful.
    return [wholeBody(primaryBody, shadowBody, render(primaryText, primaryBody), render(shadowText, shadowBody))];
  }
  if (primaryText !== null && shadowText !== null) return diffLines(primaryText, shadowText);
  return [wholeBody(primaryBody, shadowBody, digest(primaryBody), digest(shadowBody))];
}

/** Either side was cut at capture: compare the bytes both have, as on the wire. */
function compareCaptured(primary: Answer, shadow: Answer): RawDifference[] {
  const primaryBytes = primary.body ?? EMPTY;
  const shadowBytes = shadow.body ?? EMPTY;
  const common = Math.min(primaryBytes.length, shadowBytes.length);
  const primaryPrefix = primaryBytes.subarray(0, common);
  const shadowPrefix = shadowBytes.subarray(0, common);
  // A whole body no longer than the other side's captured part differs from it: that side is longer.
  const lengthsDiffer =
    (primary.bodyTruncated && !shadow.bodyTruncated && shadowBytes.length <= primaryBytes.length) ||
    (shadow.bodyTruncated && !primary.bodyTruncated && primaryBytes.length <= shadowBytes.length);
  if (!lengthsDiffer && sameBytes(primaryPrefix, shadowPrefix)) return [];
  const summary = lengthsDiffer ? `bodies differ in length (first ${common} bytes compared)` : `first ${common} bytes differ`;
  return [
    {
      field: 'body',
      kind: 'changed',
      primary: `${summary}: ${digest(primaryPrefix)}`,
      shadow: `${summary}: ${digest(shadowPrefix)}`,
    },
  ];
}

function wholeBody(primary: Uint8Array, shadow: Uint8Array, primaryValue: string, shadowValue: string): RawDifference {
  if (primary.length === 0) return { field: 'body', kind: 'added', primary: null, shadow: shadowValue };
  if (shadow.length === 0) return { field: 'body', kind: 'removed', primary: primaryValue, shadow: null };
  return { field: 'body', kind: 'changed', primary: primaryValue, shadow: shadowValue };
}

const NOT_JSON = Symbol('not JSON');

/** The parsed body when it is JSON: by its content-type, or by how it starts. */
function parseJson(text: string, headers: Headers): unknown {
  const start = text.trimStart().charCodeAt(0);
  if (start !== OPEN_BRACE && start !== OPEN_BRACKET && !contentTypeSaysJson(headers)) return NOT_JSON;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return NOT_JSON;
  }
}

function contentTypeSaysJson(headers: Headers): boolean {
  return headers.some(([name, value]) => name.toLowerCase() === 'content-type' && value.toLowerCase().includes('json'));
}

const decoder = new TextDecoder('utf-8', { fatal: true });

function utf8(bytes: Uint8Array): string | null {
  try {
    return decoder.decode(bytes);
  } catch {
    return null;
  }
}

function render(text: string | null, bytes: Uint8Array): string {
  return text === null ? digest(bytes) : cut(text);
}

function sameBytes(primary: Uint8Array, shadow: Uint8Array): boolean {
  return Buffer.from(primary.buffer, primary.byteOffset, primary.byteLength).equals(shadow);
}

function digest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}… (${bytes.length} bytes)`;
}
