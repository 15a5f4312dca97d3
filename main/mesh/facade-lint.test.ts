/**
 * The lint rule that keeps the CLI and the shell on the mesh's façade (main/mesh/index.ts): the
 * project's own eslint.config.js, run through ESLint's API on snippets placed where the rule
 * applies, so a change that silently disables the rule fails here and not only in review.
 * Run: npx vitest run main/mesh/facade-lint.test.ts
 */
import path from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '..', '..');
const FACADE_RULE = '@typescript-eslint/no-restricted-imports';
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: repo });
});

/** The rules that fired on `code` as if it were the file at `file` (relative to the repo). */
async function violations(file: string, code: string): Promise<{ rule: string | null; message: string }[]> {
  const [result] = await eslint.lintText(`${code}\n`, { filePath: path.join(repo, file) });
  return (result?.messages ?? []).map(({ ruleId, message }) => ({ rule: ruleId, message }));
}

describe('the mesh façade lint rule', () => {
  it('refuses an import past the façade from the CLI and from the shell, type-only ones too', async () => {
    const fromCli = await violations('main/cli/past-the-facade.ts', "import { Mesh } from '../mesh/mesh.js';\nexport const made = Mesh;");
    expect(fromCli).toEqual([{ rule: FACADE_RULE, message: expect.stringContaining('only through its façade, main/mesh/index.js') }]);
    const fromShell = await violations('main/electron/testing/past-the-facade.ts', "export type { StateStore } from '../../mesh/store/state-store.js';");
    expect(fromShell).toEqual([{ rule: FACADE_RULE, message: expect.stringContaining('main/mesh/index.js') }]);
  });

  it('lets them import the façade itself', async () => {
    expect(await violations('main/cli/through-the-facade.ts', "import { Mesh } from '../mesh/index.js';\nexport const made = Mesh;")).toEqual([]);
    expect(await violations('main/electron/through-the-facade.ts', "export type { StateStore } from '../mesh/index.js';")).toEqual([]);
  });

  it("lets tests use the mesh's test helpers, and nothing else inside it", async () => {
    const helper = "export { listenUpstream } from '../mesh/testing/http-upstream.js';";
    expect(await violations('main/cli/a-command.test.ts', helper)).toEqual([]);
    expect(await violations('main/cli/a-command.ts', helper)).toEqual([{ rule: FACADE_RULE, message: expect.any(String) }]);
    expect(await violations('main/cli/a-command.test.ts', "export { listen } from '../mesh/listen.js';")).toEqual([
      { rule: FACADE_RULE, message: expect.any(String) },
    ]);
  });

  it('adds to the electron rule instead of replacing it', async () => {
    expect(await violations('main/cli/uses-electron.ts', "export { app } from 'electron';")).toEqual([
      { rule: 'no-restricted-imports', message: expect.stringContaining('Only main/electron/** may import electron') },
    ]);
  });

  it('leaves the mesh free to import its own parts', async () => {
    expect(await violations('main/mesh/some-part.ts', "export { listen } from './listen.js';")).toEqual([]);
  });
});
