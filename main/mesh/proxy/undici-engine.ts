/**
 * undici's Pool and Agent without the rest of undici. `import { Pool } from 'undici'` runs the
 * package's index, which loads all of it — fetch, WebSocket, EventSource, the HTTP cache, the
 * mocks, the proxy agents — and that cost the mesh about 11 MB of RSS at start (a Node 22 process
 * importing the index: 72.3 MB; requiring only the modules below: 60.8 MB). The mesh dispatches
 * through Pool and Agent alone; the replay, run on demand, imports the whole package when used.
 *
 * The paths are undici's own files (undici 8 has no `exports` map, so they resolve as they do for
 * its index). The same installation answers both ways, so these are the very classes the index
 * exports; undici-engine.test.ts holds that, and fails on an undici that moves them.
 */
import { createRequire } from 'node:module';
import type * as Undici from 'undici';

const require = createRequire(import.meta.url);

/** As undici's index does: `request` and `stream` as methods of every dispatcher. */
const Dispatcher = require('undici/lib/dispatcher/dispatcher.js') as { prototype: object };
Object.assign(Dispatcher.prototype, require('undici/lib/api/index.js') as object);

export const Pool = require('undici/lib/dispatcher/pool.js') as typeof Undici.Pool;
export type Pool = Undici.Pool;
export const Agent = require('undici/lib/dispatcher/agent.js') as typeof Undici.Agent;
export type Agent = Undici.Agent;
