// bin/meshdesk.js started by an older Node (what a global install or `npm link` gets from a shell
// whose `node` is 20) hands the command to the Node 22 npm installed with Meshdesk. Needs a Node
// older than 22 on the machine's PATH (Debian's is 20, as on CI); without one the test says so.
// Run with `npm run build:main && npx vitest run main/cli/bundled-node.test.ts`.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../package-root.js';

const bin = path.join(packageRoot(), 'bin', 'meshdesk.js');

/** The first `node` on PATH outside this project's node_modules whose major version is below 22. */
function olderNode(): { file: string; version: string } | null {
  for (const folder of (process.env.PATH ?? '').split(path.delimiter)) {
    const file = path.join(folder, 'node');
    if (folder.includes('node_modules') || !existsSync(file)) continue;
    const version = execFileSync(file, ['--version']).toString().trim();
    if (Number(version.slice(1).split('.')[0]) < 22) return { file, version };
  }
  return null;
}

const older = olderNode();

describe('meshdesk on an older Node', () => {
  it.skipIf(!older)(`runs on the bundled Node 22 (${older ? `${older.version} at ${older.file}` : 'no Node older than 22 on PATH: skipped'})`, () => {
    const run = spawnSync(older?.file ?? '', [bin, '--version'], { env: { ...process.env, MESHDESK_BUNDLED_NODE: undefined } });
    expect(run.stderr.toString()).toBe('');
    expect(run.stdout.toString().trim()).toMatch(/^meshdesk \d+\.\d+\.\d+ on Node v22\./);
    expect(run.status).toBe(0);
  });

  it.skipIf(!older)('exits with its status and stderr as its own (an unreachable mesh is exit 3)', () => {
    const run = spawnSync(older?.file ?? '', [bin, 'status', '--admin-port', '1'], { env: { ...process.env, MESHDESK_BUNDLED_NODE: undefined } });
    expect(run.status).toBe(3);
    expect(run.stderr.toString()).toContain('no mesh answers at http://127.0.0.1:1');
  });

  it.skipIf(!older)('run as a command, prints no Node warning in a shell `meshdesk env` set up (NODE_USE_ENV_PROXY=1)', () => {
    const shell = { ...process.env, PATH: `${path.dirname(older?.file ?? '')}${path.delimiter}${process.env.PATH ?? ''}`, MESHDESK_BUNDLED_NODE: undefined };
    const run = spawnSync(bin, ['status', '--admin-port', '1'], {
      env: { ...shell, NODE_USE_ENV_PROXY: '1', http_proxy: 'http://127.0.0.1:1', HTTP_PROXY: 'http://127.0.0.1:1' },
    });
    expect(run.stderr.toString()).toBe('meshdesk: no mesh answers at http://127.0.0.1:1; start one with `meshdesk serve`\n');
  });

  it.skipIf(!older)('does not relaunch twice: a relaunched command on an old Node refuses with the reason', () => {
    const run = spawnSync(older?.file ?? '', [bin, '--version'], { env: { ...process.env, MESHDESK_BUNDLED_NODE: '20' } });
    expect(run.status).toBe(1);
    expect(run.stderr.toString()).toContain('needs Node.js 22 or newer');
  });
});
