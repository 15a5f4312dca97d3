// How gRPC calls read in the log's cells: by their gRPC status (their HTTP status is 200 whatever
// happened), coloured by the mesh's verdict, with the whole story in the tooltip.
// Run: npx vitest run renderer/src/requests/cell-format.test.ts
import { describe, expect, it } from 'vitest';
import { event } from '../../../shared/testing/exchange-fixture.js';
import { methodText, rowStatusClass, statusText, statusTitle } from './cell-format.js';

const call = (status: number | null, message: string | null, failed: boolean, error: string | null = null) =>
  event({ method: 'POST', protocol: 'h2', status: 200, grpc: { status, message }, failed, error });

describe('gRPC calls in the log', () => {
  it('show their gRPC status by name, coloured by the verdict', () => {
    expect([statusText(call(0, 'OK', false)), rowStatusClass(call(0, 'OK', false))]).toEqual(['OK', 'ok']);
    expect([statusText(call(14, 'down', true)), rowStatusClass(call(14, 'down', true))]).toEqual(['UNAVAILABLE', 'server-error']);
    expect([statusText(call(5, null, false)), rowStatusClass(call(5, null, false))]).toEqual(['NOT_FOUND', 'client-error']);
    expect(statusText(call(null, null, true))).toBe('200');
  });

  it('say everything in the tooltip', () => {
    expect(statusTitle(call(14, 'meshdesk: connection refused', true, 'connection refused'))).toBe(
      'gRPC status UNAVAILABLE (14) · meshdesk: connection refused · HTTP 200 · connection refused',
    );
    expect(statusTitle(call(null, null, true))).toBe('gRPC call ended without a status · HTTP 200');
    expect(statusTitle(call(0, 'OK', false))).toBe('gRPC status OK (0) · HTTP 200');
  });

  it('name the protocol in the method cell', () => {
    expect(methodText(call(0, null, false))).toBe('gRPC');
    expect(methodText(event({ method: 'GET', protocol: 'h2' }))).toBe('GET h2');
    expect(methodText(event({ method: 'GET' }))).toBe('GET');
    expect(statusText(event({ status: 503 }))).toBe('503');
  });
});
