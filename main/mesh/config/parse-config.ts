/**
 * Turns the text of a `meshdesk.yaml` into a validated config, or into errors that name the file,
 * line and column, so the user can jump straight to the mistake.
 */
import { LineCounter, isMap, isNode, isScalar, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { meshConfigSchema, type MeshConfig } from '../../../shared/config-schema.js';
import type { ConfigError } from '../../../shared/model.js';

export type KeyPath = readonly (string | number)[];
/** Where the value at `path` is written; with `key`, where its map key is. */
export type PositionOf = (path: KeyPath, key?: boolean) => { line: number; col: number };

export type ParseResult = { ok: true; config: MeshConfig; positionOf: PositionOf } | { ok: false; errors: ConfigError[] };

export function parseConfig(text: string, file: string): ParseResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((error) => {
        const pos = lineCounter.linePos(error.pos[0]);
        return { file, line: pos.line, column: pos.col, message: firstLine(error.message), severity: 'error' as const };
      }),
    };
  }
  const positionOf: PositionOf = (path, key = false) => {
    // Walk up the path until a node exists: a missing key is reported at its parent.
    for (let depth = path.length; depth >= 0; depth--) {
      const offset = offsetOf(doc, path.slice(0, depth), key && depth === path.length);
      if (offset !== null) return lineCounter.linePos(offset);
    }
    return { line: 1, col: 1 };
  };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (error) {
    // yaml refuses alias bombs ("billion laughs") here rather than expanding them.
    return { ok: false, errors: [{ file, line: 1, column: 1, message: firstLine((error as Error).message), severity: 'error' }] };
  }
  const parsed = meshConfigSchema.safeParse(data);
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((issue) => toConfigError(issue, file, positionOf)) };
  }
  return { ok: true, config: parsed.data, positionOf };
}

function toConfigError(issue: z.core.$ZodIssue, file: string, positionOf: PositionOf): ConfigError {
  const path = issue.path.filter((key): key is string | number => typeof key !== 'symbol');
  const where = path.length > 0 ? `${path.join('.')}: ` : '';
  let message = issue.message;
  // Mistakes in a key are shown where the key is written; everything else where its value is.
  let at = positionOf(path);
  if (issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined) {
    message = `${issue.message} (${issue.keys.join(', ')})`;
    at = positionOf([...path, issue.keys[0]], true);
  } else if (issue.code === 'invalid_key') {
    message = `the name ${issue.issues.map((inner) => inner.message).join('; ')}`;
    at = positionOf(path, true);
  }
  return { file, line: at.line, column: at.col, message: `${where}${message}`, severity: 'error' };
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

/** Where the node at `path` starts; with `key`, where the map key of that entry is written. */
function offsetOf(doc: Document, path: KeyPath, key: boolean): number | null {
  const last = path.at(-1);
  if (key && typeof last === 'string') {
    const parent = doc.getIn(path.slice(0, -1), true);
    if (isMap(parent)) {
      const pair = parent.items.find((item) => isScalar(item.key) && String(item.key.value) === last);
      if (pair && isNode(pair.key) && pair.key.range) return pair.key.range[0];
    }
  }
  const node = path.length === 0 ? doc.contents : doc.getIn(path, true);
  return isNode(node) && node.range ? node.range[0] : null;
}
