/** Finds files shipped with Meshdesk (the built dashboard, demo services) from source or from dist/. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'meshdesk') {
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the meshdesk package root');
    dir = parent;
  }
}

export function rendererRoot(): string {
  return path.join(packageRoot(), 'dist', 'renderer');
}
