/**
 * One version of the benchmark's `world` service, in its own process (pinned beside the mesh, so its
 * work is taken from the same core as a laptop's would be): a keep-alive HTTP server on a free
 * loopback port answering every request at once with a small JSON body that names its version and
 * carries a per-call timestamp, so the mesh's comparison finds a differing field and learns noise as
 * it would with a real service. With a body size, the answer also carries a list of user records
 * filling it to about that many bytes, the same in both versions but for one field of the first
 * record (a real API's answer, where the comparison's cost grows with the body). Prints `listening
 * <port>` on stdout; exits on SIGTERM or when the bench that started it goes away.
 * Usage: node json-upstream.js <version> [body-bytes]
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const version = process.argv[2] ?? 'v1';
const bodyBytes = Number(process.argv[3] ?? 0);

/** Records of about 150 bytes each, made once: what each answer adds to reach `bodyBytes`. */
function userRecords(bytes: number): object[] {
  const records = [];
  for (let id = 0; id * 150 < bytes; id++) {
    const plan = id === 0 && version === 'v2' ? 'pro' : 'free';
    records.push({ id, name: `user ${id}`, email: `user${id}@example.com`, plan, tags: ['a', 'b'], address: { city: 'Berlin', zip: String(10_000 + id) } });
  }
  return records;
}
const users = bodyBytes > 0 ? userRecords(bodyBytes) : undefined;

const server = http.createServer((req, res) => {
  const body = JSON.stringify({
    service: 'world',
    version,
    path: req.url,
    greeting: version === 'v1' ? 'hello' : 'hello there',
    ts: process.hrtime.bigint().toString(),
    users,
  });
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(`listening ${(server.address() as AddressInfo).port}`));
const stop = () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.stdin.on('close', stop);
process.stdin.resume();
