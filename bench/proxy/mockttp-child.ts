/**
 * The mockttp row: HTTP Toolkit's proxy engine, as a user who picked it instead of Meshdesk would run
 * it in front of one service: a local mockttp server whose one rule forwards every request to the
 * upstream. Traffic recording is off (the default keeps every request and response for its API),
 * so the row measures forwarding, not a growing history.
 * Run as a child process: `node mockttp-child.js <upstream-port>`.
 */
import { getLocal } from 'mockttp';
import { serveParent } from './child-channel.js';

const upstreamPort = Number(process.argv[2]);
const server = getLocal({ recordTraffic: false });
await server.start();
await server.forAnyRequest().thenForwardTo(`http://127.0.0.1:${upstreamPort}`);
serveParent(server.port, 'mockttp with recordTraffic off, one rule forwarding every request', { stop: () => server.stop() });
