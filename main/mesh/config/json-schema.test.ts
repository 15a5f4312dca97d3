// The published JSON Schema (resources/meshdesk.schema.json) must be exactly what the zod schema
// generates today; when this fails, run `npm run schema` and commit the result.
// Run: npx vitest run main/mesh/config/json-schema.test.ts
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { meshConfigJsonSchema, meshConfigJsonSchemaText, publishedSchemaPath } from './json-schema.js';

describe('meshdesk.schema.json', () => {
  it('matches the zod schema it is generated from', () => {
    expect(readFileSync(publishedSchemaPath(), 'utf8')).toBe(meshConfigJsonSchemaText());
  });

  it('describes what users write, with documentation for completion', () => {
    const schema = meshConfigJsonSchema() as { $defs: Record<string, { description?: string; oneOf?: unknown[] }>; properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)).toEqual(['$schema', 'proxy', 'services', 'telemetry', 'protoPaths']);
    expect(schema.$defs.healthCheck?.oneOf).toHaveLength(3);
    expect(schema.$defs.duration?.description).toContain('2s');
    // Durations are written as text or numbers: the input side, not the parsed milliseconds.
    const text = meshConfigJsonSchemaText();
    expect(text).toContain('"pattern": "^(\\\\d+(?:\\\\.\\\\d+)?)(ms|s|m)$"');
    for (const field of ['route', 'retries', 'timeouts', 'healthCheck', 'labels']) expect(text).toContain(`"${field}"`);
  });
});
