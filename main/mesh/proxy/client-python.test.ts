/**
 * Python requests through the proxy, from the http_proxy/https_proxy/no_proxy variables as a
 * developer's scripts pick them up: every method with bodies, a generator (chunked) upload, an SSE
 * stream read line by line (proved incremental: the script acknowledges the first event over the
 * proxy before the server sends the second), a CONNECT tunnel with certificate verification,
 * passthrough, and no_proxy.
 * Run: npx vitest run main/mesh/proxy/client-python.test.ts
 */
import { describe, expect, it } from 'vitest';
import { echoHandler, run, startProxy, startUpstream } from './testing/harness.js';
import { startTlsUpstream } from './testing/tls.js';

/**
 * Runs a Python snippet with `requests` imported and the given proxy environment. Debian's
 * interpreter by its path: Debian's python3-requests is importable only from /usr/bin/python3, and a
 * `python3` earlier on PATH (pyenv, a virtualenv) may lack it or carry another version.
 */
function python(code: string, env: Record<string, string>) {
  return run('/usr/bin/python3', ['-c', `import sys, requests\n${code}`], env);
}

describe('python requests', () => {
  it('sends every method with bodies, and a chunked generator upload', async () => {
    const world = await startUpstream(echoHandler('world'));
    const harness = await startProxy();
    harness.register({ world: [world.address] });
    const result = await python(
      [
        "for m in ['GET', 'HEAD', 'POST', 'PUT', 'DELETE']:",
        "    r = requests.request(m, 'http://world/py', data=None if m in ('GET', 'HEAD') else 'body of ' + m)",
        '    print(r.status_code, repr(r.text))',
        "r = requests.post('http://world/gen', data=(part.encode() for part in ['one,', 'two,', 'three']))",
        "print(r.status_code, repr(r.text), r.request.headers['transfer-encoding'])",
      ].join('\n'),
      { http_proxy: harness.url },
    );
    expect(result.stderr).toBe('');
    expect(result.stdout.trim().split('\n')).toEqual([
      "200 'world GET /py '",
      "200 ''",
      "200 'world POST /py body of POST'",
      "200 'world PUT /py body of PUT'",
      "200 'world DELETE /py body of DELETE'",
      "200 'world POST /gen one,two,three' chunked",
    ]);
  });

  it('reads an SSE stream as it arrives', async () => {
    let acknowledge: () => void = () => {};
    const acknowledged = new Promise<void>((resolve) => (acknowledge = resolve));
    const world = await startUpstream(async (req, res) => {
      if (req.url === '/ack') {
        acknowledge();
        res.end('ok');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: first\n\n');
      await acknowledged;
      res.end('data: second\n\n');
    });
    const harness = await startProxy();
    harness.register({ events: [world.address] });
    const result = await python(
      [
        "with requests.get('http://events/stream', stream=True) as r:",
        '    for line in r.iter_lines(chunk_size=1):',
        '        if not line: continue',
        '        print(line.decode(), flush=True)',
        "        if line == b'data: first': requests.get('http://events/ack')",
      ].join('\n'),
      { http_proxy: harness.url },
    );
    expect(result.stdout).toBe('data: first\ndata: second\n');
  });

  it('tunnels https with verification, passes other hosts through and honours no_proxy', async () => {
    const tls = await startTlsUpstream((req, res) => res.end(`secure ${req.url}`));
    const outside = await startUpstream(echoHandler('outside'));
    const harness = await startProxy();
    harness.register({ secure: [tls.address] });
    const result = await python(
      [
        `print(requests.get('https://secure/tunnelled', verify='${tls.caFile}').text)`,
        `print(requests.get('http://127.0.0.1:${outside.port}/passed').text)`,
        `print(requests.get('http://localhost:${outside.port}/direct').text)`,
      ].join('\n'),
      { http_proxy: harness.url, https_proxy: harness.url, no_proxy: 'localhost' },
    );
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('secure /tunnelled\noutside GET /passed \noutside GET /direct \n');
    await harness.nextEvent((event) => event.method === 'CONNECT'); // recorded when the tunnel closes
    expect(harness.events.map((event) => [event.method, event.kind, event.service]).sort()).toEqual([
      ['CONNECT', 'service', 'secure'],
      ['GET', 'external', '127.0.0.1'],
    ]);
  });
});
