import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** An import path into main/mesh other than its façade (index.js), or a `testing/` folder in it for tests. */
function pastMeshFacade({ tests }) {
  return {
    regex: String.raw`(^|/)mesh/(?!index\.js$)` + (tests ? String.raw`(?!(.*/)?testing/)` : ''),
    message: 'Outside main/mesh, import the mesh only through its façade, main/mesh/index.js (export what a front end needs there).',
  };
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'e2e/artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    files: ['**/*.{js,mjs}'],
    languageOptions: { globals: globals.node },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Only the Electron shell may depend on Electron: the mesh, the CLI, the renderer and the
      // contract must run headless, as `meshdesk serve` and the browser-driven e2e tests run them.
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Only main/electron/** may import electron.' }] }],
    },
  },
  {
    files: ['main/electron/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // Layers, as VS Code's lint keeps its own: the CLI and the shell see the mesh only through its
    // façade, so its parts can be split and rewired without touching them. typescript-eslint's
    // variant of the rule, so that it adds to the electron rule above instead of replacing it.
    files: ['main/**'],
    ignores: ['main/mesh/**'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [pastMeshFacade({ tests: false })] }] },
  },
  {
    // Tests may also use the mesh's test helpers (its `testing/` folders, never built into dist/).
    files: ['main/**/*.test.ts', 'main/**/testing/**'],
    ignores: ['main/mesh/**'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [pastMeshFacade({ tests: true })] }] },
  },
  {
    // An ES import of node:http builds its ES namespace, whose WebSocket getters load Node's own
    // undici: 10 MB of RSS at start that the mesh never uses (main/mesh/node-http.ts). Types are free.
    files: ['main/mesh/**'],
    ignores: ['main/mesh/**/*.test.ts', 'main/mesh/**/testing/**', 'main/mesh/node-http.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        ...['node:http', 'http'].map((name) => ({
          name,
          allowTypeImports: true,
          message: "Take node:http from main/mesh/node-http.ts (an ES import loads Node's undici, 10 MB); `import type` is fine.",
        })),
      ],
    },
  },
  {
    // The renderer runs in a browser (and a sandboxed Electron window): no Node built-ins.
    files: ['renderer/**', 'shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Only main/electron/** may import electron.' }],
          patterns: [
            { group: ['node:*'], message: 'Web code cannot use Node built-ins.' },
            { group: ['**/main/**'], message: 'The renderer talks to the mesh only through shared/ and the admin API.' },
          ],
        },
      ],
    },
  },
);
