/**
 * What the mesh answers itself on an HTTP/2 stream it will not, or could not, forward: a gRPC call
 * gets a trailers-only gRPC status naming the cause (what every gRPC client prints as the error's
 * details), any other request the HTTP status with the cause as text, as HTTP/1.1 requests do.
 */
import type { ServerHttp2Stream } from 'node:http2';
import { grpcStatusForHttp, trailersOnly } from './grpc-status.js';

/** Answers `stream`; returns the gRPC status and message a gRPC call was given, null for other requests. */
export function answerCall(
  stream: ServerHttp2Stream,
  grpc: boolean,
  status: number,
  cause: string,
  code = grpcStatusForHttp(status),
): { status: number; message: string } | null {
  if (grpc) {
    const message = `meshdesk: ${cause}`;
    stream.respond(trailersOnly(code, message, { 'x-meshdesk-error': cause }), { endStream: true });
    return { status: code, message };
  }
  stream.respond({ ':status': status, 'content-type': 'text/plain; charset=utf-8', 'x-meshdesk-error': cause });
  stream.end(`meshdesk: ${status} ${cause}\n`);
  return null;
}
