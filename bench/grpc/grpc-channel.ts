/**
 * A gRPC channel the way grpc-js opens one, reduced to what the bench needs: one HTTP/2 connection
 * with prior knowledge (h2c) and unary SayHello calls on it, each answered with the gRPC status from
 * the trailers. Used for the sanity call each row must pass before it is measured (h2load sees only
 * the HTTP status, and a gRPC error is HTTP 200) and for the idle channels of the memory measurement.
 */
import http2, { type ClientHttp2Session } from 'node:http2';
import { helloReplyMessage, helloRequest, SAY_HELLO_PATH } from './greeter-message.js';

export interface CallResult {
  httpStatus: number;
  /** `grpc-status` from the trailers (or the headers, for a trailers-only answer); null when absent. */
  grpcStatus: string | null;
  grpcMessage: string | null;
  /** The HelloReply's message; null when the call failed. */
  reply: string | null;
}

/** One connection to `127.0.0.1:port`, resolved once the HTTP/2 handshake is done. */
export function openChannel(port: number): Promise<ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    session.once('error', reject);
    session.once('connect', () => {
      session.off('error', reject);
      // A channel the peer closes later is not this bench's error; calls on it fail on their own.
      session.on('error', () => undefined);
      resolve(session);
    });
  });
}

/** One unary SayHello on `session`, naming `authority` (the service, for the mesh); rejects on a transport error or timeout. */
export function sayHello(session: ClientHttp2Session, authority: string, name: string, timeoutMs = 5_000): Promise<CallResult> {
  return new Promise((resolve, reject) => {
    const stream = session.request({
      ':method': 'POST',
      ':path': SAY_HELLO_PATH,
      ':authority': authority,
      'content-type': 'application/grpc',
      te: 'trailers',
    });
    const chunks: Buffer[] = [];
    let httpStatus = 0;
    let status: http2.IncomingHttpHeaders = {};
    stream.setTimeout(timeoutMs, () => stream.close(http2.constants.NGHTTP2_CANCEL));
    stream.on('response', (headers) => {
      httpStatus = Number(headers[':status']);
      if (headers['grpc-status'] !== undefined) status = headers;
    });
    stream.on('trailers', (trailers) => (status = trailers));
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('error', reject);
    stream.once('close', () => {
      if (httpStatus === 0) return reject(new Error(`call to ${authority} closed without an answer (code ${stream.rstCode})`));
      const grpcStatus = header(status['grpc-status']);
      try {
        const reply = grpcStatus === '0' ? helloReplyMessage(Buffer.concat(chunks)) : null;
        resolve({ httpStatus, grpcStatus, grpcMessage: header(status['grpc-message']), reply });
      } catch (error) {
        reject(error as Error);
      }
    });
    stream.end(helloRequest(name));
  });
}

const header = (value: string | string[] | undefined) => (Array.isArray(value) ? (value[0] ?? null) : (value ?? null));

/** Throws unless a call to `port` naming `authority` is answered `hello NAME` with gRPC status 0. */
export async function checkCall(port: number, authority: string): Promise<void> {
  const session = await openChannel(port);
  try {
    const result = await sayHello(session, authority, 'sanity');
    if (result.grpcStatus !== '0' || result.reply !== 'hello sanity')
      throw new Error(
        `sanity call to :${port} (${authority}) got HTTP ${result.httpStatus}, grpc-status ${result.grpcStatus}: ${result.grpcMessage ?? result.reply}`,
      );
  } finally {
    session.close();
  }
}
