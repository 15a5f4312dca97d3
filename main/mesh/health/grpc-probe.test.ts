/**
 * The gRPC health check against real grpc-js servers: SERVING passes; NOT_SERVING, an unknown
 * service, a server without the health service, a closed port, an HTTP/1 server and a server that
 * never answers each fail with a reason a person can act on.
 * Run: npx vitest run main/mesh/health/grpc-probe.test.ts
 */
import http from 'node:http';
import http2 from 'node:http2';
import * as grpc from '@grpc/grpc-js';
import { describe, expect, it, onTestFinished } from 'vitest';
import { closedPort, listenOn } from '../proxy/testing/harness.js';
import { startGreeter } from '../proxy/h2/testing/greeter.js';
import { probe } from './probe.js';

/** A server with grpc.health.v1.Health/Check answering `status` for each service it knows (byte 1 SERVING, 2 NOT_SERVING). */
async function healthServer(statuses: Record<string, number>): Promise<number> {
  const server = new grpc.Server();
  const raw = (buffer: Buffer) => buffer;
  server.addService(
    {
      Check: {
        path: '/grpc.health.v1.Health/Check',
        requestStream: false,
        responseStream: false,
        requestSerialize: raw,
        requestDeserialize: raw,
        responseSerialize: raw,
        responseDeserialize: raw,
      },
    },
    {
      Check(call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) {
        // HealthCheckRequest { string service = 1 }: empty for the server as a whole.
        const service = call.request.length === 0 ? '' : call.request.subarray(2).toString();
        const status = statuses[service];
        if (status === undefined) callback({ code: grpc.status.NOT_FOUND, details: 'unknown service' });
        else callback(null, Buffer.from([0x08, status]));
      },
    },
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  onTestFinished(() => server.forceShutdown());
  return port;
}

const check = (service = '', timeout = 1_000) => ({ type: 'grpc' as const, service, interval: 10_000, timeout, healthyThreshold: 2, unhealthyThreshold: 3 });

describe('gRPC health check', () => {
  it('passes on SERVING, for the server and for a named service', async () => {
    const port = await healthServer({ '': 1, 'helloworld.Greeter': 1, 'helloworld.Other': 2 });
    expect(await probe('127.0.0.1', port, check())).toEqual({ ok: true, reason: 'gRPC SERVING' });
    expect(await probe('127.0.0.1', port, check('helloworld.Greeter'))).toEqual({ ok: true, reason: 'gRPC SERVING' });
    expect(await probe('127.0.0.1', port, check('helloworld.Other'))).toEqual({ ok: false, reason: 'gRPC NOT_SERVING, expected SERVING' });
    expect(await probe('127.0.0.1', port, check('nobody'))).toEqual({ ok: false, reason: 'gRPC health check answered NOT_FOUND' });
  });

  it('fails with a reason on a server without the health service, a closed port, HTTP/1, and silence', async () => {
    const greeter = await startGreeter('v1');
    expect(await probe('127.0.0.1', greeter.port, check())).toEqual({
      ok: false,
      reason: 'gRPC health check answered UNIMPLEMENTED: the instance does not serve grpc.health.v1',
    });
    expect(await probe('127.0.0.1', await closedPort(), check())).toEqual({ ok: false, reason: 'connection refused' });
    const plain = http.createServer((_req, res) => res.end('hi'));
    const plainPort = await listenOn(plain);
    onTestFinished(() => void plain.close());
    expect((await probe('127.0.0.1', plainPort, check())).ok).toBe(false);
    const silent = http2.createServer(() => undefined);
    const silentPort = await listenOn(silent as unknown as http.Server);
    onTestFinished(() => void silent.close());
    expect(await probe('127.0.0.1', silentPort, check('', 200))).toEqual({ ok: false, reason: 'no answer within 200ms' });
  });
});
