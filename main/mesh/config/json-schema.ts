/**
 * The JSON Schema of meshdesk.yaml, generated from the zod schema so the two cannot disagree. It
 * describes what a user writes (zod's input side: durations as `2s`, defaults optional), which is
 * what an editor completes and checks. Published as resources/meshdesk.schema.json; use it with
 * `# yaml-language-server: $schema=<path>/meshdesk.schema.json` at the top of meshdesk.yaml.
 */
import path from 'node:path';
import { z } from 'zod';
import { meshConfigSchema } from '../../../shared/config-schema.js';
import { packageRoot } from '../../package-root.js';

export function meshConfigJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(meshConfigSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
}

/** The file's text: stable key order and a final newline, so regenerating an unchanged schema is a no-op. */
export function meshConfigJsonSchemaText(): string {
  return `${JSON.stringify(meshConfigJsonSchema(), null, 2)}\n`;
}

export function publishedSchemaPath(): string {
  return path.join(packageRoot(), 'resources', 'meshdesk.schema.json');
}
