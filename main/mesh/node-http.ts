/**
 * Node's HTTP module, required rather than imported. An ES import of a built-in makes Node build
 * that module's ES namespace, which reads every export, and node:http's `WebSocket`, `CloseEvent`
 * and `MessageEvent` are getters that load Node's own copy of undici (fetch, WebSocket and the
 * rest). That costs 10.3 MB of RSS in a bare Node 22 (46.9 MB requiring node:http from an ES module,
 * 57.2 MB importing it), and 3.4 MB in `meshdesk serve`, which loads much of the rest anyway (82.6
 * MB at start before, 79.1 MB after). The mesh forwards through npm's undici and never uses Node's,
 * and it is to start in 80 MB (issue 21). So every module of the mesh takes node:http from here (a lint rule
 * keeps it so; `import type` is free) and `serve-command.test.ts` checks the running mesh.
 */
import { createRequire } from 'node:module';
import type * as Http from 'node:http';

const http = createRequire(import.meta.url)('node:http') as typeof Http;

export default http;
