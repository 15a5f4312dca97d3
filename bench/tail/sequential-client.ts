/**
 * One request at a time on one kept-alive connection for a number of seconds, each request's start
 * (system clock, ms) and latency recorded: what wrk's one-connection run does, with every request
 * kept rather than percentiles, so the slow ones can be matched with what the proxy did meanwhile.
 * The request is written as bytes and the answer read by its Content-Length, so the client itself
 * allocates little per request. Prints `{ starts, latencies }` as JSON on stdout.
 * Run as a child process: `node sequential-client.js <port> <host-header> <seconds>`.
 */
import net from 'node:net';
import { performance } from 'node:perf_hooks';

const [port, host, seconds] = [Number(process.argv[2]), process.argv[3] ?? '127.0.0.1', Number(process.argv[4] ?? 5)];
const request = Buffer.from(`GET / HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
const starts: number[] = [];
const latencies: number[] = [];

const socket = net.connect(port, '127.0.0.1');
socket.setNoDelay(true);
await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
const until = performance.now() + seconds * 1000;
let sentAt = 0;
let pending: Buffer = Buffer.alloc(0);
const send = () => {
  sentAt = performance.now();
  socket.write(request);
};
await new Promise<void>((resolve, reject) => {
  socket.on('error', reject);
  socket.on('data', (chunk: Buffer) => {
    pending = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
    const headEnd = pending.indexOf('\r\n\r\n');
    if (headEnd < 0) return;
    const length = /content-length: *(\d+)/i.exec(pending.subarray(0, headEnd).toString('latin1'))?.[1];
    if (length === undefined) return reject(new Error('an answer without Content-Length'));
    const total = headEnd + 4 + Number(length);
    if (pending.length < total) return;
    const now = performance.now();
    starts.push(performance.timeOrigin + sentAt);
    latencies.push(now - sentAt);
    pending = pending.subarray(total);
    if (now < until) send();
    else {
      socket.end();
      resolve();
    }
  });
  send();
});
process.stdout.write(JSON.stringify({ starts, latencies }));
