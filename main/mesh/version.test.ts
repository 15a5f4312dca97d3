// The version the mesh reports is the one package.json ships.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { packageRoot } from '../package-root.js';
import { MESHDESK_VERSION } from './version.js';

it('matches package.json', () => {
  const manifest = JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
  expect(MESHDESK_VERSION).toBe(manifest.version);
});
