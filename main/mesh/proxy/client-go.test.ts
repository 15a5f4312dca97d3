/**
 * Go's net/http (http.DefaultClient, whose transport takes its proxy from HTTP_PROXY/http_proxy
 * through http.ProxyFromEnvironment) through the proxy: a GET and a POST with a body to a registered
 * service, sent to the proxy as absolute-URI requests (`GET http://world/... HTTP/1.1`, no CONNECT),
 * and Go's documented exception: requests to localhost and loopback addresses never use the proxy,
 * so a call to http://127.0.0.1:<port>/ with HTTP_PROXY set goes straight to the server. The client
 * is a main.go written at test time and run with `go run` (GOCACHE under the OS temp dir, so only
 * the first run compiles).
 * Run: npx vitest run main/mesh/proxy/client-go.test.ts
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { echoHandler, run, startProxy, startUpstream } from './testing/harness.js';
import { expectForwardProxiedPair, needClient } from './testing/real-client.js';

const TIMEOUT = 60_000;

/** Sends each "METHOD URL [BODY]" argument with http.DefaultClient; prints "<status> <body>" or "error <err>". */
const MAIN_GO = `package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
)

func main() {
	for _, arg := range os.Args[1:] {
		parts := strings.SplitN(arg, " ", 3)
		var body io.Reader
		if len(parts) > 2 {
			body = strings.NewReader(parts[2])
		}
		req, err := http.NewRequest(parts[0], parts[1], body)
		if err != nil {
			fmt.Println("error", err)
			continue
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			fmt.Println("error", err)
			continue
		}
		text, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Println(resp.StatusCode, string(text))
	}
}
`;

/** Writes main.go to a fresh temp dir and runs it with `requests`, in an environment of its own plus `env`. */
async function goClient(requests: string[], env: Record<string, string>) {
  await needClient('go', ['version'], 'Go is missing: install the Debian package golang-go');
  const dir = mkdtempSync(path.join(tmpdir(), 'meshdesk-go-client-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, 'main.go'), MAIN_GO);
  const cache = path.join(tmpdir(), 'meshdesk-go-cache');
  mkdirSync(cache, { recursive: true });
  const goEnv = {
    GOCACHE: cache,
    GOPATH: path.join(tmpdir(), 'meshdesk-go-path'),
    GO111MODULE: 'off', // one file, standard library only: no module, no go.mod
    GOTOOLCHAIN: 'local', // Go >= 1.21 must not fetch another toolchain
    GOFLAGS: '',
    GOPROXY: 'off',
    CGO_ENABLED: '0', // no C compiler needed
  };
  const result = await run('go', ['run', path.join(dir, 'main.go'), ...requests], { ...goEnv, ...env }, TIMEOUT - 5_000);
  expect(result.stderr).toBe('');
  return result.stdout.replace(/\n$/, '').split('\n');
}

describe('go net/http', () => {
  it(
    'routes http://world/ from HTTP_PROXY, and sends 127.0.0.1 and localhost direct',
    async () => {
      const world = await startUpstream(echoHandler('world'));
      const outside = await startUpstream(echoHandler('outside'));
      const harness = await startProxy();
      harness.register({ world: [world.address] });
      const lines = await goClient(
        [
          'GET http://world/g?id=1',
          'POST http://world/g body from go',
          `GET http://127.0.0.1:${outside.port}/direct`,
          `GET http://localhost:${outside.port}/local`,
        ],
        { HTTP_PROXY: harness.url },
      );
      expect(lines).toEqual(['200 world GET /g?id=1 ', '200 world POST /g body from go', '200 outside GET /direct ', '200 outside GET /local ']);
      // Forward-proxied, not tunnelled; and no event at all for the loopback calls.
      expectForwardProxiedPair(world, harness.events, '/g', 'body from go');
      expect(outside.requests.map((req) => [req.url, req.headers.via])).toEqual([
        ['/direct', undefined],
        ['/local', undefined],
      ]);
    },
    TIMEOUT,
  );
});
