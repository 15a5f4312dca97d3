/** `npm run schema`: regenerates resources/meshdesk.schema.json from shared/config-schema.ts (runs from source, no build needed). */
import { writeFileSync } from 'node:fs';
import { meshConfigJsonSchemaText, publishedSchemaPath } from './json-schema.js';

writeFileSync(publishedSchemaPath(), meshConfigJsonSchemaText());
console.log(`wrote ${publishedSchemaPath()}`);
