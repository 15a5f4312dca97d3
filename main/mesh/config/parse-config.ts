/**
 * Turns the text of a `meshdesk.yaml` into a validated config, or into errors that name the file,
 * line and column, so the user can jump straight to the mistake.
 */
import { LineCounter, parseDocument, isNode } from 'yaml';
import type { z } from 'zod';
import { meshConfigSchema, type MeshConfig } from '../../../shared/config-schema.js';
import type { ConfigError } from '../../../shared/model.js';

export type ParseResult =
  | { ok: true; config: MeshConfig; lineOf: (path: readonly (string | number)[]) => number }
  | { ok: false; errors: ConfigError[] };

export function parseConfig(text: string, file: string): ParseResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((error) => {
        const pos = lineCounter.linePos(error.pos[0]);
        return { file, line: pos.line, column: pos.col, message: firstLine(error.message) };
      }),
    };
  }
  const positionOf = (path: readonly (string | number)[]): { line: number; col: number } => {
    // Walk up the path until a node exists: a missing key is reported at its parent.
    for (let depth = path.length; depth >= 0; depth--) {
      const node = doc.getIn(path.slice(0, depth), true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]);
    }
    return { line: 1, col: 1 };
  };
  const parsed = meshConfigSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((issue) => toConfigError(issue, file, positionOf)) };
  }
  return { ok: true, config: parsed.data, lineOf: (path) => positionOf(path).line };
}

function toConfigError(
  issue: z.core.$ZodIssue,
  file: string,
  positionOf: (path: readonly (string | number)[]) => { line: number; col: number },
): ConfigError {
  const path = issue.path.filter((key): key is string | number => typeof key !== 'symbol');
  const pos = positionOf(path);
  const where = path.length > 0 ? `${path.join('.')}: ` : '';
  const keys = issue.code === 'unrecognized_keys' ? ` (${issue.keys.join(', ')})` : '';
  return { file, line: pos.line, column: pos.col, message: `${where}${issue.message}${keys}` };
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
