/**
 * The request log's detail pane and "copy as curl", against a real echo service registered with
 * `meshdesk serve`: the pane shows the headers and bodies that really crossed the proxy (JSON
 * pretty-printed, binary as hex, a notice where capture cut a body, secrets masked), and the copied
 * curl command, run with the real curl, sends the same request through the mesh again; a retried
 * exchange shows its flag, its attempts and its routing decision, masked headers reveal on demand,
 * and a replay edited in the form reaches the service as edited.
 * Run: `npm run build && npx playwright test e2e/requests-inspect.spec.ts`.
 */
import { execFile } from 'node:child_process';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { ProxyAgent, request } from 'undici';
import { expect, test } from './fixtures/mesh-fixtures.js';
import { RequestsPage } from './pages/requests-page.js';

test.describe.configure({ timeout: 90_000 });

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A service that answers with what it received, and remembers it. */
async function startEchoServer(): Promise<{ address: string; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      if (req.url?.startsWith('/binary')) {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        return res.end(Buffer.from([0, 1, 2, 0xff, 0x48, 0x69]));
      }
      res.writeHead(201, { 'content-type': 'application/json', 'x-echo': 'yes' });
      res.end(JSON.stringify({ received: { method: req.method, url: req.url, bytes: body.length } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

const POSTED = { hello: 'world', list: [1, 2] };

test('the detail pane shows the real headers and bodies, and copy as curl reproduces the request', async ({ serveWithConfig, dashboard, context }) => {
  const echo = await startEchoServer();
  try {
    const mesh = await serveWithConfig(`services:\n  echo:\n    instances: [${echo.address}]\n`);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(mesh.dashboardUrl).origin });
    const agent = new ProxyAgent(mesh.proxyUrl);
    try {
      const answer = await request('http://echo/things?x=1', {
        dispatcher: agent,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': '42', authorization: 'Bearer secret-token', 'user-agent': 'e2e-test' },
        body: JSON.stringify(POSTED),
      });
      expect(answer.statusCode).toBe(201);
      await answer.body.text();
    } finally {
      await agent.close();
    }
    const original = echo.received[0] as Received;

    const requests = new RequestsPage(dashboard.page);
    await dashboard.signIn(mesh.loginUrl);
    await requests.openAt(mesh.dashboardUrl, 'service=echo&method=POST');
    const row = requests.rows.first();
    await expect(row).toContainText('/things?x=1');
    await requests.openExchange(Number(await row.getAttribute('data-id')));

    await test.step('headers as they crossed the proxy, the secret masked', async () => {
      expect(await requests.headerValue('request', 'x-request-id')).toBe('42');
      expect(await requests.headerValue('request', 'content-type')).toBe('application/json');
      expect(await requests.headerValue('request', 'authorization')).toBe('[masked]');
      expect(await requests.headerValue('response', 'x-echo')).toBe('yes');
      await expect(requests.detail.getByTestId('detail-status')).toContainText('201');
    });

    await test.step('bodies: JSON pretty-printed', async () => {
      await expect(requests.body('request')).toHaveAttribute('data-kind', 'json');
      await expect(requests.body('request').locator('pre')).toHaveText(JSON.stringify(POSTED, null, 2));
      await expect(requests.body('response').locator('pre')).toContainText('"method": "POST"');
    });

    await test.step('the timing waterfall', async () => {
      const waterfall = requests.detail.getByTestId('waterfall');
      // Every phase the proxy measures for a forwarded request, in order.
      await expect(waterfall.locator('[data-phase]')).toHaveCount(4);
      expect(await waterfall.locator('[data-phase]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-phase')))).toEqual([
        'queue',
        'connect',
        'first byte',
        'transfer',
      ]);
    });

    await test.step('the copied curl command, run with curl, sends the same request through the mesh', async () => {
      const command = await requests.copyAsCurl();
      expect(command).toContain(`curl -x ${mesh.proxyUrl}`);
      expect(command).toContain('# masked by the mesh and left out: authorization');
      await promisify(execFile)('sh', ['-c', command], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
      const again = echo.received[1] as Received;
      expect(again.method).toBe(original.method);
      expect(again.url).toBe(original.url);
      expect(again.body.toString()).toBe(original.body.toString());
      const comparable = (headers: IncomingHttpHeaders) => {
        const { connection: _connection, authorization: _authorization, ...rest } = headers;
        return rest;
      };
      expect(comparable(again.headers)).toEqual(comparable(original.headers));
      expect(again.headers.authorization).toBeUndefined();
    });
  } finally {
    await echo.close();
  }
});

test('binary bodies show as hex, and a body the capture cut says so', async ({ serveWithConfig, dashboard }) => {
  const echo = await startEchoServer();
  try {
    const mesh = await serveWithConfig(`services:\n  echo:\n    instances: [${echo.address}]\n`);
    const agent = new ProxyAgent(mesh.proxyUrl);
    try {
      await (await request('http://echo/binary', { dispatcher: agent })).body.text();
      const big = 'x'.repeat(200 * 1024);
      await (await request('http://echo/big', { dispatcher: agent, method: 'PUT', body: big, headers: { 'content-type': 'text/plain' } })).body.text();
    } finally {
      await agent.close();
    }
    const requests = new RequestsPage(dashboard.page);
    await dashboard.signIn(mesh.loginUrl);

    await requests.openAt(mesh.dashboardUrl, 'service=echo&path=/binary');
    await requests.openExchange(Number(await requests.rows.first().getAttribute('data-id')));
    await expect(requests.body('response')).toHaveAttribute('data-kind', 'hex');
    await expect(requests.body('response').locator('pre')).toHaveText('00000000  00 01 02 ff 48 69                                 |....Hi|');

    await requests.openAt(mesh.dashboardUrl, 'service=echo&method=PUT');
    await requests.openExchange(Number(await requests.rows.first().getAttribute('data-id')));
    await expect(requests.body('request').getByTestId('body-request-body-cut')).toContainText(`of ${200 * 1024} bytes captured`);
  } finally {
    await echo.close();
  }
});

test('a retried exchange shows its flag, each attempt and why it went where it went; masked headers reveal on demand', async ({
  serveWithConfig,
  dashboard,
}) => {
  const echo = await startEchoServer();
  // A port nothing listens on: the instance that refuses connections.
  const gone = createServer();
  await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve));
  const deadPort = (gone.address() as AddressInfo).port;
  await new Promise<void>((resolve) => gone.close(() => resolve()));
  try {
    const mesh = await serveWithConfig(`services:\n  flaky:\n    instances: [127.0.0.1:${deadPort}, ${echo.address}]\n`);
    const agent = new ProxyAgent(mesh.proxyUrl);
    try {
      // Round robin: among a few GETs, some go to the dead instance first and are retried on the live one.
      for (let i = 0; i < 4; i++) {
        const answer = await request(`http://flaky/try${i}`, { dispatcher: agent, headers: { authorization: 'Bearer secret-token' } });
        expect(answer.statusCode).toBe(201);
        await answer.body.text();
      }
    } finally {
      await agent.close();
    }
    const requests = new RequestsPage(dashboard.page);
    await dashboard.signIn(mesh.loginUrl);
    await requests.openAt(mesh.dashboardUrl, 'service=flaky');
    const retried = requests.rows.filter({ has: dashboard.page.locator('.flag-retried') }).first();
    await expect(retried).toContainText('retry');
    await requests.openExchange(Number(await retried.getAttribute('data-id')));

    const attempts = requests.detail.getByTestId('attempts').locator('tbody tr');
    await expect(attempts).toHaveCount(2);
    await expect(attempts.nth(0)).toContainText(`127.0.0.1:${deadPort}`);
    await expect(attempts.nth(0)).toContainText('connection refused');
    await expect(attempts.nth(1)).toContainText(echo.address);
    await expect(attempts.nth(1)).toContainText('201');
    const trace = requests.detail.getByTestId('decision-trace');
    await expect(trace).toContainText('version');
    await expect(trace).toContainText('instance');

    expect(await requests.headerValue('request', 'authorization')).toBe('[masked]');
    await requests.detail.getByRole('button', { name: 'Reveal masked' }).click();
    await expect.poll(() => requests.headerValue('request', 'authorization')).toBe('Bearer secret-token');
  } finally {
    await echo.close();
  }
});

test('replay sends the request as edited in the form, through the mesh', async ({ serveWithConfig, dashboard }) => {
  const echo = await startEchoServer();
  try {
    const mesh = await serveWithConfig(`services:\n  echo:\n    instances: [${echo.address}]\n`);
    const agent = new ProxyAgent(mesh.proxyUrl);
    try {
      const answer = await request('http://echo/original', {
        dispatcher: agent,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"n":1}',
      });
      await answer.body.text();
    } finally {
      await agent.close();
    }
    const requests = new RequestsPage(dashboard.page);
    await dashboard.signIn(mesh.loginUrl);
    await requests.openAt(mesh.dashboardUrl, 'service=echo');
    await requests.openExchange(Number(await requests.rows.first().getAttribute('data-id')));

    await requests.detail.getByRole('button', { name: 'Replay…' }).click();
    const form = requests.detail.getByTestId('replay-panel');
    await form.getByRole('textbox', { name: 'Replay method' }).fill('PUT');
    await form.getByRole('textbox', { name: 'Replay path' }).fill('/edited?y=2');
    const headers = form.getByRole('textbox', { name: 'Replay headers' });
    await headers.fill(`${await headers.inputValue()}\nx-edited: yes`);
    await form.getByRole('textbox', { name: 'Replay body' }).fill('{"n":2}');
    await form.getByTestId('replay-send').click();
    await expect(requests.detail.getByTestId('replay-comparison').getByTestId('replay-status')).toHaveText('201');

    // What the service received the second time: the edits, and nothing of the original's.
    const replayed = echo.received[1] as Received;
    expect(replayed.method).toBe('PUT');
    expect(replayed.url).toBe('/edited?y=2');
    expect(replayed.headers['x-edited']).toBe('yes');
    expect(replayed.body.toString()).toBe('{"n":2}');
  } finally {
    await echo.close();
  }
});
