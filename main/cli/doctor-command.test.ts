// `meshdesk doctor` run for real (bin/meshdesk.js, built dist/: `npm run build:main` first) against a
// real `meshdesk serve`, each time with a crafted shell environment: what it says of http_proxy,
// NO_PROXY, NODE_USE_ENV_PROXY and JAVA_TOOL_OPTIONS, of the mesh (unreachable, config errors) and
// of a real Node client calling an instance past the proxy; its JSON; and its exit codes (0 fine,
// 1 problems, 3 no mesh).
// Run: npx vitest run main/cli/doctor-command.test.ts
import { afterEach, describe, expect, it } from 'vitest';
import { NODE_FETCH_LOOP, startLoopClient } from '../mesh/bypass/testing/bypass-clients.js';
import { answering, listenUpstream } from '../mesh/testing/http-upstream.js';
import { runMeshdesk, serveWithYaml } from './testing/spawn-meshdesk.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The machine's proxy settings removed (undefined values are left out of a child's environment). */
const NO_PROXY_SETTINGS: NodeJS.ProcessEnv = {
  http_proxy: undefined,
  HTTP_PROXY: undefined,
  no_proxy: undefined,
  NO_PROXY: undefined,
  NODE_USE_ENV_PROXY: undefined,
  JAVA_TOOL_OPTIONS: undefined,
  JDK_JAVA_OPTIONS: undefined,
};

async function servedWorld(extraYaml = '') {
  const worldPort = await listenUpstream(answering('world'), cleanups);
  const served = await serveWithYaml(`services:\n  world:\n    instances: [127.0.0.1:${worldPort}]\n${extraYaml}`, cleanups);
  const proxyUrl = served.mesh.proxyUrl;
  const proxyPort = new URL(proxyUrl).port;
  /** The shell `meshdesk env` makes, plus Java's properties: nothing for the doctor to fault. */
  const fine: NodeJS.ProcessEnv = {
    ...NO_PROXY_SETTINGS,
    ...served.env,
    http_proxy: proxyUrl,
    HTTP_PROXY: proxyUrl,
    no_proxy: 'localhost,127.0.0.1,::1',
    NO_PROXY: 'localhost,127.0.0.1,::1',
    NODE_USE_ENV_PROXY: '1',
    JAVA_TOOL_OPTIONS: `-Dhttp.proxyHost=127.0.0.1 -Dhttp.proxyPort=${proxyPort}`,
  };
  const doctor = (env: NodeJS.ProcessEnv, args: string[] = []) => runMeshdesk(['doctor', ...args], { ...fine, ...env });
  return { worldPort, proxyUrl, proxyPort, fine, doctor };
}

/** The problem lines of a doctor's output, each with its fix line. */
function problems(stdout: string): string[] {
  return stdout.split('\n').flatMap((line, index, lines) => (line.startsWith('problem') ? [`${line}\n${lines[index + 1] ?? ''}`] : []));
}

describe('meshdesk doctor', () => {
  it('exits 0 with every check ok for the shell `meshdesk env` makes, and names each problem with its fix otherwise', async () => {
    const { proxyUrl, proxyPort, doctor } = await servedWorld();

    const fine = await doctor({});
    // Node itself warns that its env proxy agent is experimental (NODE_USE_ENV_PROXY=1); nothing else.
    expect(fine.stderr.replace(/.*\[UNDICI-EHPA\].*\n.*--trace-warnings.*\n/, '')).toBe('');
    expect(fine.code).toBe(0);
    expect(problems(fine.stdout)).toEqual([]);
    expect(fine.stdout).toContain(`ok       http_proxy points at this mesh (${proxyUrl})`);
    expect(fine.stdout).toContain('ok       no process is seen calling an instance past the proxy');
    expect(fine.stdout).toMatch(/no problems found\n$/);

    const unset = await doctor({ http_proxy: undefined, HTTP_PROXY: undefined });
    expect(unset.code).toBe(1);
    expect(problems(unset.stdout)).toEqual([
      'problem  http_proxy is not set: programs started from this shell do not send their calls through the mesh\n         fix: eval "$(meshdesk env)"',
    ]);

    const elsewhere = await doctor({ http_proxy: 'http://127.0.0.1:1', HTTP_PROXY: 'http://127.0.0.1:1' });
    expect(problems(elsewhere.stdout)).toEqual([
      `problem  http_proxy is http://127.0.0.1:1, not this mesh's proxy ${proxyUrl}\n         fix: export http_proxy=${proxyUrl} HTTP_PROXY=${proxyUrl}`,
    ]);

    const noProxy = await doctor({ no_proxy: undefined, NO_PROXY: 'localhost,world' });
    expect(problems(noProxy.stdout)).toEqual([
      "problem  NO_PROXY contains world: calls to http://world/ skip the mesh\n         fix: export no_proxy='localhost' NO_PROXY='localhost'",
    ]);

    const node = await doctor({ NODE_USE_ENV_PROXY: undefined });
    expect(problems(node.stdout)).toEqual([
      "problem  NODE_USE_ENV_PROXY is not 1: Node's fetch (22.21+, 24.5+) ignores http_proxy and calls services directly\n         fix: export NODE_USE_ENV_PROXY=1",
    ]);

    const java = await doctor({ JAVA_TOOL_OPTIONS: '-Xmx256m' });
    expect(problems(java.stdout)).toEqual([
      `problem  JAVA_TOOL_OPTIONS has no -Dhttp.proxyHost/-Dhttp.proxyPort: Java ignores http_proxy\n         fix: export JAVA_TOOL_OPTIONS='-Xmx256m -Dhttp.proxyHost=127.0.0.1 -Dhttp.proxyPort=${proxyPort}'`,
    ]);
    expect(java.code).toBe(1);
  }, 60_000);

  it('answers in JSON with every check and whether all is ok', async () => {
    const { proxyUrl, doctor } = await servedWorld();
    const answer = await doctor({ NO_PROXY: 'world' }, ['--json']);
    expect(answer.code).toBe(1);
    const report = JSON.parse(answer.stdout) as {
      ok: boolean;
      proxyUrl: string;
      checks: { id: string; status: string; message: string; fix: string | null }[];
    };
    expect(report).toMatchObject({ ok: false, proxyUrl, bypasses: [] });
    expect(report.checks.filter((check) => check.status === 'problem')).toEqual([
      {
        id: 'no_proxy',
        status: 'problem',
        message: 'NO_PROXY contains world: calls to http://world/ skip the mesh',
        fix: "export no_proxy='localhost,127.0.0.1,::1' NO_PROXY='localhost,127.0.0.1,::1'",
      },
    ]);
    expect(report.checks.map((check) => check.id)).toEqual(['mesh', 'config', 'http_proxy', 'no_proxy', 'node', 'java', 'bypass']);
  }, 30_000);

  it('says no mesh answers (exit 3) and still checks the shell', async () => {
    const answer = await runMeshdesk(['doctor'], { ...NO_PROXY_SETTINGS, NO_COLOR: '1', MESHDESK_ADMIN_URL: 'http://127.0.0.1:1' });
    expect(answer.code).toBe(3);
    expect(problems(answer.stdout)).toEqual([
      'problem  no mesh answers at http://127.0.0.1:1\n         fix: start one with `meshdesk serve` in your workspace (or pass --admin-url)',
      'problem  http_proxy is not set: programs started from this shell do not send their calls through the mesh\n         fix: eval "$(meshdesk env)"',
      "problem  NODE_USE_ENV_PROXY is not 1: Node's fetch (22.21+, 24.5+) ignores http_proxy and calls services directly\n         fix: export NODE_USE_ENV_PROXY=1",
    ]);
    expect(answer.stdout).toContain('note     JAVA_TOOL_OPTIONS is not set: Java programs started here ignore http_proxy');
  }, 30_000);

  it('reports a config error with its place in the file', async () => {
    const { doctor } = await servedWorld('  hello:\n    instances: [not-an-address]\n');
    const answer = await doctor({});
    expect(answer.code).toBe(1);
    const errors = problems(answer.stdout);
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors)
      expect(error).toMatch(/^problem {2}config error meshdesk\.yaml:5:17 services\.hello\.instances\.0: .+\n {9}fix: fix meshdesk\.yaml; until then/);
  }, 30_000);

  it('lists a real Node client calling the instance past the proxy, with its fix', async () => {
    const { worldPort, proxyUrl, doctor } = await servedWorld();
    const node = await startLoopClient(process.execPath, ['-e', NODE_FETCH_LOOP, `http://127.0.0.1:${worldPort}/n`], {}, cleanups);
    await expect.poll(async () => (await doctor({})).code, { timeout: 5_000, interval: 250 }).toBe(1);
    const answer = await doctor({});
    expect(problems(answer.stdout)).toEqual([
      `problem  node pid ${node.pid} calls world at 127.0.0.1:${worldPort} past the proxy: likely: Node's fetch ignores http_proxy without NODE_USE_ENV_PROXY=1\n` +
        `         fix: start it with NODE_USE_ENV_PROXY=1 and http_proxy=${proxyUrl} (eval "$(meshdesk env)"), and call http://world/ rather than http://127.0.0.1:${worldPort}/`,
    ]);
  }, 30_000);
});
