/**
 * Meshdesk as the product runs it: the real Mesh class (telemetry, request log and push stream
 * included), started from a meshdesk.yaml that registers the bench upstream as the service `bench`.
 * With `events=on` one more listener counts each request event (and keeps the last `ring-size` in a
 * ring of its own when asked); with `events=off` the proxy is told nobody listens, which is its
 * fast path.
 * Run as a child process: `node meshdesk-child.js <config-file> <on|off> [ring-size]`.
 */
import { randomBytes } from 'node:crypto';
import { rendererRoot } from '../../main/package-root.js';
import { tuneHeap } from '../../main/mesh/heap-tuning.js';
import { Mesh } from '../../main/mesh/mesh.js';
import type { RequestEvent } from '../../shared/events.js';
import { serveParent } from './child-channel.js';
import { RequestCounter } from './request-counter.js';

const [configFile, eventsArg, ringArg = '0'] = process.argv.slice(2);
/** Handed to the bench with the admin address, for the attached dashboard to sign in with. */
const adminToken = randomBytes(16).toString('hex');
const ringSize = Number(ringArg);
if (!configFile || (eventsArg !== 'on' && eventsArg !== 'off') || !Number.isInteger(ringSize) || ringSize < 0) {
  console.error('usage: meshdesk-child.js <config-file> <on|off> [ring-size]');
  process.exit(2);
}

/** Off by default: the mesh's own request log runs in this process; a ring here would be extra. */
const ring: (RequestEvent | undefined)[] = new Array<RequestEvent | undefined>(ringSize);
const counter = new RequestCounter();

/** The first failures are printed whole, so a rare one can be told apart from load. */
let failuresShown = 0;

function onEvent(event: RequestEvent): void {
  if (ringSize > 0) ring[counter.count % ringSize] = event;
  counter.tick(event.failed);
  if (event.failed && failuresShown++ < 5) console.error(`bench: failed request: ${JSON.stringify(event)}`);
}

// As `meshdesk serve` does (its startup flags come from the parent, as bin/meshdesk.js passes them).
tuneHeap();
const mesh = await Mesh.create({
  proxyHost: '127.0.0.1',
  proxyPort: 0,
  adminHost: '127.0.0.1',
  adminPort: 0,
  configFile,
  rendererRoot: rendererRoot(),
  adminToken,
  // The mesh's own lines (reloads, health, the bypasses it sees when a row calls the upstream
  // directly) go to stderr with the bench's progress, never into the report on stdout.
  log: (line) => console.error(line),
});
const addresses = await mesh.start();
if (mesh.configErrorList.length > 0) {
  console.error('bench: meshdesk config errors:', mesh.configErrorList);
  process.exit(1);
}
// The mesh subscribes to its own events (push stream, telemetry), so "off" cannot mean "nobody
// subscribed". It means the proxy's own fast-path check says nobody wants events: what emission
// costs is then the difference between the on and off rows.
const ownSubscribers = mesh.events.wanted;
if (eventsArg === 'on') mesh.telemetry.onRecorded(onEvent);
else Object.defineProperty(mesh.events, 'wanted', { get: () => false });
const note = ownSubscribers
  ? eventsArg === 'on'
    ? 'the mesh has its own event subscribers too (they run in this row)'
    : "events forced off (the mesh's own subscribers bypassed through `wanted`)"
  : null;
serveParent(
  addresses.proxyPort,
  note,
  {
    stats: () =>
      eventsArg === 'on'
        ? { requests: counter.count, failures: counter.failures, milestones: counter.milestones }
        : { requests: null, failures: null, milestones: [] },
    stop: () => mesh.stop(1_000),
  },
  { url: addresses.adminUrl, token: adminToken },
);
