// `meshdesk tap` and `meshdesk stat` count failures by the mesh's rule, not one of their own: with
// meshdesk.yaml's `failureStatuses: [404]`, a 404 is failed and a 500 is not, in tap's `errors`
// filter, its JSON and its text, and in stat's success rate. Real `meshdesk serve` (built dist/:
// run `npm run build:main` first), a real upstream, real traffic with curl.
// Run: npx vitest run main/cli/failure-statuses.test.ts
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listenUpstream } from '../mesh/testing/http-upstream.js';
import { runMeshdesk, serveWithYaml, type RunningMeshdesk } from './testing/spawn-meshdesk.js';

const exec = promisify(execFile);
const cleanups: (() => unknown)[] = [];
let mesh: RunningMeshdesk;
let env: NodeJS.ProcessEnv;

beforeEach(async () => {
  // Answers `/status/<code>` with that code.
  const port = await listenUpstream((req, res) => res.writeHead(Number(/^\/status\/(\d{3})$/.exec(req.url ?? '')?.[1] ?? 200)).end(), cleanups);
  ({ mesh, env } = await serveWithYaml(
    `telemetry:\n  failureStatuses: [404]\nservices:\n  world:\n    instances: [127.0.0.1:${port}]\n    retries: { attempts: 0 }\n`,
    cleanups,
  ));
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function send(target: string): Promise<void> {
  await exec('curl', ['-sS', '-o', '/dev/null', '-x', mesh.proxyUrl, `http://world${target}`]);
}

/** Sends a 500 then a 404, round after round, until `command` finishes (tap takes a moment to connect). */
async function failuresUntil<T>(command: Promise<T>): Promise<T> {
  let done = false;
  void command.finally(() => (done = true));
  while (!done) {
    await send('/status/500');
    await send('/status/404');
  }
  return command;
}

describe('failureStatuses in the CLI', () => {
  it('tap: errors keeps the 404 and not the 500, and shows it failed in JSON and in text', async () => {
    const json = await failuresUntil(runMeshdesk(['tap', 'errors', '--max', '2', '-o', 'json'], env));
    expect(json.code).toBe(0);
    const events = json.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as unknown);
    expect(events).toEqual([
      expect.objectContaining({ path: '/status/404', status: 404, failed: true }),
      expect.objectContaining({ path: '/status/404', failed: true }),
    ]);

    const text = await failuresUntil(runMeshdesk(['tap', 'service=world', '--max', '2'], env));
    const lines = text.stdout.trim().split('\n');
    // Two consecutive requests of the rounds: one of each.
    expect(lines.map((line) => / \/status\/(\d{3}) /.exec(line)?.[1]).sort()).toEqual(['404', '500']);
    for (const line of lines) {
      if (line.includes(' /status/404 ')) expect(line).toMatch(/ GET \/status\/404 404 \S+ failed$/);
      else expect(line).toMatch(/ GET \/status\/500 500 \S+$/);
    }
  });

  it('stat: the 404 lowers the success rate and the 500 does not', async () => {
    for (const target of ['/status/404', '/status/500', '/status/200', '/status/200']) await send(target);
    // The last event may be recorded a moment after its response ended.
    await expect
      .poll(async () => JSON.parse((await runMeshdesk(['stat', 'world', '--json'], env)).stdout).services[0]?.stats.totals, { timeout: 5_000 })
      .toMatchObject({ requests: 4, failures: 1 });
    const text = await runMeshdesk(['stat', 'world'], env);
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n').find((line) => /^world\s+\*/.test(line))).toMatch(/\s75\.00%\s.*\s4$/);
  });
});
