/**
 * The gRPC health check (grpc.health.v1.Health/Check), as Kubernetes' gRPC probes and grpc-health-
 * probe make it: one unary call over a fresh HTTP/2 connection (a kept one would keep answering
 * after the instance stopped accepting connections), passing when the answer is SERVING. The two
 * messages are a single field each, so they are written and read here rather than through a
 * protobuf library: HealthCheckRequest { string service = 1 }, HealthCheckResponse { enum status = 1 }.
 * node:http2 ignores http_proxy, so the check never loops through the mesh itself.
 */
import http2 from 'node:http2';
import { grpcStatusName } from '../../../shared/grpc-codes.js';
import { firstWholeMessage, framed } from '../grpc/grpc-frames.js';
import { describeNetworkError, type ProbeResult } from './probe-result.js';

const CHECK_PATH = '/grpc.health.v1.Health/Check';
const SERVING_STATUS = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'];

export function grpcProbe(host: string, port: number, service: string, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const authority = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    const session = http2.connect(`http://${authority}`);
    let settled = false;
    const finish = (result: ProbeResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      session.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish(describeFailure(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' }), timeoutMs)), timeoutMs);
    session.on('error', (error) => finish(describeFailure(error, timeoutMs)));
    const call = session.request({ ':method': 'POST', ':path': CHECK_PATH, 'content-type': 'application/grpc', te: 'trailers' });
    const chunks: Buffer[] = [];
    let status: string | undefined;
    call.on('response', (headers) => (status = headers['grpc-status'] as string | undefined));
    call.on('trailers', (trailers) => (status = (trailers['grpc-status'] as string | undefined) ?? status));
    call.on('data', (chunk: Buffer) => chunks.push(chunk));
    call.on('end', () => finish(verdict(status, Buffer.concat(chunks))));
    call.on('error', (error) => finish(describeFailure((error.cause as Error | undefined) ?? error, timeoutMs)));
    call.end(requestMessage(service));
  });
}

/** A length-prefixed gRPC message holding HealthCheckRequest { service }. */
function requestMessage(service: string): Buffer {
  const name = Buffer.from(service, 'utf8');
  return framed(name.length === 0 ? Buffer.alloc(0) : Buffer.concat([Buffer.from([0x0a]), varint(name.length), name]));
}

function verdict(grpcStatus: string | undefined, message: Buffer): ProbeResult {
  if (grpcStatus === undefined) return { ok: false, reason: 'gRPC health check: the answer had no grpc-status (is this a gRPC server?)' };
  if (grpcStatus !== '0') {
    const name = grpcStatusName(Number(grpcStatus));
    const hint = name === 'UNIMPLEMENTED' ? ': the instance does not serve grpc.health.v1' : '';
    return { ok: false, reason: `gRPC health check answered ${name}${hint}` };
  }
  const serving = servingStatusOf(message);
  const name = SERVING_STATUS[serving] ?? String(serving);
  return serving === 1 ? { ok: true, reason: 'gRPC SERVING' } : { ok: false, reason: `gRPC ${name}, expected SERVING` };
}

/** HealthCheckResponse.status from the answer's body; 0 (UNKNOWN) when absent, as proto3 omits defaults. */
function servingStatusOf(body: Buffer): number {
  const message = firstWholeMessage(body) ?? Buffer.alloc(0);
  // Field 1 as a varint (tag 0x08); the message defines no other field.
  for (let i = 0; i + 1 < message.length; i++) {
    if (message[i] === 0x08) return message[i + 1] as number;
  }
  return 0;
}

function varint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest > 0x7f) {
    bytes.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

function describeFailure(error: Error, timeoutMs: number): ProbeResult {
  return { ok: false, reason: describeNetworkError(error, timeoutMs) };
}
