import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

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
      // contract must run headless (design.md, style.md rule 1).
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'Only main/electron/** may import electron.' }] },
      ],
    },
  },
  {
    files: ['main/electron/**'],
    rules: { 'no-restricted-imports': 'off' },
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
