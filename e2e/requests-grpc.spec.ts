/**
 * gRPC calls in the request log: real grpc-js calls through the proxy's port with HTTP/2 prior
 * knowledge, to a real Greeter (`greeter`) and to a service whose instance is gone (`gone`). Each call
 * is a row whose method cell says `gRPC` and whose status cell names the gRPC status (its HTTP status
 * is 200 whatever happened), coloured by the verdict: a NOT_FOUND is the caller's mistake, an
 * UNAVAILABLE from a refused connection is a failure, and says why in its tooltip and in the detail
 * pane. Screenshots of the log with that call's detail open, in both themes and at both sizes the
 * dashboard supports, are kept with the report.
 * Run: `npm run build && npx playwright test e2e/requests-grpc.spec.ts`.
 */
import { expect, test } from './fixtures/mesh-fixtures.js';
import { GREETER_PROTO, greeterAtProxyPort, startGreeter, type Greeting } from './fixtures/grpc-greeter.js';
import { keepScreenshot } from './fixtures/screenshots.js';
import { RequestsPage } from './pages/requests-page.js';

test.describe.configure({ timeout: 90_000 });

const SAY_HELLO = '/helloworld.Greeter/SayHello';

/** Sends the calls one after the other, each on its own client's channel, and returns how each ended. */
async function call(proxyUrl: string, authority: string, names: string[]): Promise<Greeting[]> {
  const client = greeterAtProxyPort(proxyUrl, authority);
  try {
    const answers: Greeting[] = [];
    for (const name of names) answers.push(await client.sayHello(name));
    return answers;
  } finally {
    client.close();
  }
}

test('gRPC calls are rows with the method gRPC and their status by name; a refused call fails and says why', async ({
  serveWithConfig,
  dashboard,
}, testInfo) => {
  const greeter = await startGreeter('v1');
  // A Greeter started and stopped again: its port is closed, as a service's that has gone away.
  const stopped = await startGreeter('v0');
  stopped.close();
  try {
    const mesh = await serveWithConfig(
      [
        'services:',
        '  greeter:',
        '    versions:',
        `      v1: { instances: [${greeter.address}] }`,
        '  gone:',
        `    instances: [${stopped.address}]`,
        // Fail at once rather than wait for a restart that will not come.
        '    holdWhileRestarting: false',
        // The messages are decoded with the Greeter's own .proto (the server has no reflection).
        `protoPaths: [${JSON.stringify(GREETER_PROTO)}]`,
        '',
      ].join('\n'),
    );
    expect(await call(mesh.proxyUrl, 'greeter:50051', ['ada', 'bob', 'cy', 'fail:5:no such greeting'])).toEqual([
      { message: 'hello ada from v1' },
      { message: 'hello bob from v1' },
      { message: 'hello cy from v1' },
      { code: 5, details: 'no such greeting' },
    ]);
    expect(await call(mesh.proxyUrl, 'gone:50051', ['anyone'])).toEqual([{ code: 14, details: 'meshdesk: connection refused' }]);

    const page = dashboard.page;
    const requests = new RequestsPage(page);
    await dashboard.signIn(mesh.loginUrl);
    await requests.openAt(mesh.dashboardUrl);
    const calls = requests.rows.filter({ hasText: SAY_HELLO });
    await expect(calls).toHaveCount(5);
    const cell = (column: number) => calls.locator(`[role="cell"]:nth-child(${column + 1})`);
    await expect(cell(2)).toHaveText(Array<string>(5).fill('gRPC'));
    await expect(cell(3)).toHaveText(['greeter@v1', 'greeter@v1', 'greeter@v1', 'greeter@v1', 'gone@default']);
    await expect(cell(6)).toHaveText(['OK', 'OK', 'OK', 'NOT_FOUND', 'UNAVAILABLE']);

    const withStatus = (name: string) => calls.filter({ has: page.getByRole('cell', { name, exact: true }) });
    for (const ok of await withStatus('OK').all()) {
      await expect(ok).toHaveClass(/\bstatus-ok\b/);
      await expect(ok).not.toHaveClass(/\bfailed\b/);
    }
    const notFound = withStatus('NOT_FOUND');
    await expect(notFound).toHaveClass(/\bstatus-client-error\b/);
    await expect(notFound).not.toHaveClass(/\bfailed\b/);
    await expect(notFound.getByRole('cell').nth(6)).toHaveAttribute('title', 'gRPC status NOT_FOUND (5) · no such greeting · HTTP 200');

    const refused = withStatus('UNAVAILABLE');
    await expect(refused).toHaveClass(/\bstatus-server-error\b/);
    await expect(refused).toHaveClass(/\bfailed\b/);
    await expect(refused.getByRole('cell').nth(6)).toHaveAttribute('title', /^gRPC status UNAVAILABLE \(14\) · meshdesk: connection refused · /);

    // The log alone, its columns at their full width.
    await page.setViewportSize({ width: 1280, height: 800 });
    await keepScreenshot(testInfo, 'grpc requests without detail light 1280x800', page);

    await requests.openExchange(Number(await refused.getAttribute('data-id')));
    const status = requests.detail.getByTestId('detail-status');
    await expect(status).toContainText('gRPC status UNAVAILABLE (14)');
    await expect(status).toContainText('meshdesk: connection refused');
    await expect(status).toContainText('failed');

    const shots = [
      ['light', 1280, 800],
      ['light', 1024, 700],
      ['dark', 1280, 800],
      ['dark', 1024, 700],
    ] as const;
    for (const [colorScheme, width, height] of shots) {
      await page.emulateMedia({ colorScheme });
      await page.setViewportSize({ width, height });
      await keepScreenshot(testInfo, `grpc requests ${colorScheme} ${width}x${height}`, page);
    }

    // An answered call: its messages decoded to JSON, and a grpcurl command that makes it again.
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1280, height: 800 });
    await requests.openExchange(Number(await withStatus('OK').first().getAttribute('data-id')));
    const messages = requests.detail.getByTestId('grpc-messages');
    await expect(messages.getByTestId('grpc-types')).toContainText('helloworld.HelloRequest → helloworld.HelloReply: from protoPaths in meshdesk.yaml');
    await expect(messages.getByTestId('grpc-message')).toHaveText([/"name": "ada"/, /"message": "hello ada from v1"/]);
    await expect(messages.getByTestId('grpcurl-command')).toContainText(`-d '{"name":"ada"}'`, { useInnerText: false });
    await messages.getByText('grpcurl command').click();
    for (const [colorScheme, width, height] of [
      ['light', 1280, 800],
      ['dark', 1024, 700],
    ] as const) {
      await page.emulateMedia({ colorScheme });
      await page.setViewportSize({ width, height });
      await messages.scrollIntoViewIfNeeded();
      await keepScreenshot(testInfo, `grpc messages ${colorScheme} ${width}x${height}`, page);
    }
  } finally {
    greeter.close();
  }
});
