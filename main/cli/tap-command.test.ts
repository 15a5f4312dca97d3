// `meshdesk tap`'s line per exchange: an HTTP request as ever, an HTTP/2 request marked `h2`, and a
// gRPC call by what a gRPC client sees (`gRPC`, its gRPC status by name, its message); and the
// `--grpc-status` flag refused at once when it names no status. Plain text (NO_COLOR), as in a pipe.
// Run: npx vitest run main/cli/tap-command.test.ts
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RequestEvent } from '../../shared/events.js';
import { event } from '../../shared/testing/exchange-fixture.js';
import { tapCommand, tapLine } from './tap-command.js';

beforeEach(() => vi.stubEnv('NO_COLOR', '1'));
afterEach(() => vi.unstubAllEnvs());

const at = Date.UTC(2026, 10, 27, 12, 0, 1, 123);

function grpcCall(overrides: Partial<RequestEvent>): RequestEvent {
  return event({
    startedAt: at,
    caller: 'hello',
    service: 'greeter',
    version: 'v1',
    method: 'POST',
    path: '/helloworld.Greeter/SayHello',
    status: 200,
    protocol: 'h2',
    timings: { dispatched: 0.2, firstByte: 1, end: 1.2 },
    ...overrides,
  });
}

describe('tapLine', () => {
  it('prints an HTTP/1.x request with its method and HTTP status', () => {
    expect(tapLine(event({ startedAt: at }))).toBe('12:00:01.123 hello → world@v2 GET /greet?name=ada&lang=en 200 12ms');
    expect(tapLine(event({ startedAt: at, status: 503, failed: true, error: 'upstream reset', flags: ['fault-injected'] }))).toBe(
      '12:00:01.123 hello → world@v2 GET /greet?name=ada&lang=en 503 12ms [fault-injected] failed (upstream reset)',
    );
  });

  it('marks another HTTP/2 request h2 after its method', () => {
    expect(tapLine(event({ startedAt: at, protocol: 'h2' }))).toBe('12:00:01.123 hello → world@v2 GET h2 /greet?name=ada&lang=en 200 12ms');
  });

  it('prints a gRPC call as gRPC, with its gRPC status by name and its message last', () => {
    expect(tapLine(grpcCall({ grpc: { status: 14, message: 'meshdesk: connection refused' }, failed: true }))).toBe(
      '12:00:01.123 hello → greeter@v1 gRPC /helloworld.Greeter/SayHello UNAVAILABLE 1.2ms failed  meshdesk: connection refused',
    );
    expect(tapLine(grpcCall({ grpc: { status: 5, message: 'no such\ngreeting' } }))).toBe(
      '12:00:01.123 hello → greeter@v1 gRPC /helloworld.Greeter/SayHello NOT_FOUND 1.2ms  no such greeting',
    );
    // grpc-js says OK on every OK call: not repeated.
    expect(tapLine(grpcCall({ grpc: { status: 0, message: 'OK' } }))).toBe('12:00:01.123 hello → greeter@v1 gRPC /helloworld.Greeter/SayHello OK 1.2ms');
    expect(tapLine(grpcCall({ grpc: { status: 0, message: null }, flags: ['retried'] }))).toBe(
      '12:00:01.123 hello → greeter@v1 gRPC /helloworld.Greeter/SayHello OK 1.2ms [retried]',
    );
  });

  it('prints the HTTP status of a gRPC call that ended without a gRPC status', () => {
    expect(tapLine(grpcCall({ status: 0, grpc: { status: null, message: null }, failed: true, error: 'client aborted' }))).toBe(
      '12:00:01.123 hello → greeter@v1 gRPC /helloworld.Greeter/SayHello 0 1.2ms failed (client aborted)',
    );
  });
});

describe('tap --grpc-status', () => {
  const parse = (args: string[]) =>
    tapCommand()
      .exitOverride()
      .configureOutput({ writeErr: () => undefined })
      .parseAsync(args, { from: 'user' });

  it('refuses a status that is none, before connecting', async () => {
    await expect(parse(['--grpc-status', 'NOPE'])).rejects.toThrow(/not a gRPC status: NOPE \(a name such as UNAVAILABLE, or 0-16\)/);
    await expect(parse(['--grpc-status', '17'])).rejects.toThrow(/not a gRPC status: 17/);
  });

  it('reads a name in any case, or a number', () => {
    for (const [given, read] of [
      ['unavailable', 'UNAVAILABLE'],
      ['14', '14'],
    ]) {
      const command = tapCommand();
      command.action(() => undefined);
      command.parse(['--grpc-status', given as string], { from: 'user' });
      expect(command.opts().grpcStatus).toBe(read);
    }
  });
});
