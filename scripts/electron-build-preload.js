#!/usr/bin/env node
// Bundles the Electron preload (main/electron/preload.ts and what it imports from shared/) into one
// CommonJS file, dist/main/electron/preload.cjs. A sandboxed preload cannot load ES modules and can
// `require` only 'electron', so tsc's one-file-per-module ESM output cannot be used for it. Vite is
// already the renderer's bundler; its library mode does this with no new dependency. The output is
// checked afterwards: a stray require would only fail inside Electron, where nobody sees it in CI.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'vite';

const root = path.resolve(import.meta.dirname, '..');
// --out-dir: where the unit test builds its own copy.
const { values } = parseArgs({ options: { 'out-dir': { type: 'string' } } });
const outDir = path.resolve(values['out-dir'] ?? path.join(root, 'dist', 'main', 'electron'));

await build({
  configFile: false,
  root,
  logLevel: 'warn',
  publicDir: false,
  build: {
    outDir,
    emptyOutDir: false,
    minify: false,
    sourcemap: false,
    target: 'es2023',
    lib: { entry: path.join(root, 'main', 'electron', 'preload.ts'), formats: ['cjs'], fileName: () => 'preload.cjs' },
    rolldownOptions: { external: ['electron'] },
  },
});

const output = path.join(outDir, 'preload.cjs');
const requires = [...readFileSync(output, 'utf8').matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
const foreign = requires.filter((name) => name !== 'electron');
if (foreign.length > 0 || /^\s*(import|export)\s/m.test(readFileSync(output, 'utf8'))) {
  console.error(`electron-build-preload: ${output} must be self-contained CommonJS; it loads ${foreign.join(', ') || 'ES module syntax'}`);
  process.exit(1);
}
console.log(`electron-build-preload: ${path.relative(root, output)}`);
