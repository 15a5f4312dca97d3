/**
 * The HTTP/2 leg of a replay: an HTTP/2 call (a gRPC call) is resent as one, to the proxy's own
 * port with prior knowledge and the service as its authority — the mesh routes, retries and logs it
 * like any call. Its trailers (grpc-status, grpc-message) come back with the headers, since for a
 * gRPC call they are the answer's verdict.
 */
import http2 from 'node:http2';

export interface SentReplay {
  status: number;
  /** Response headers, then trailers, as pairs. */
  headers: [string, string][];
  body: Buffer;
  size: number;
}

export function replayOverH2(
  proxyUrl: string,
  authority: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: Buffer | null,
  maxBytes: number,
): Promise<SentReplay> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(proxyUrl);
    const fail = (error: Error) => {
      session.destroy();
      reject(error);
    };
    session.on('error', fail);
    const call = session.request({ ...headers, ':method': method, ':path': path, ':authority': authority }, { endStream: body === null });
    const pairs: [string, string][] = [];
    const chunks: Buffer[] = [];
    let size = 0;
    let status = 0;
    const keep = (block: http2.IncomingHttpHeaders) => {
      for (const [name, value] of Object.entries(block)) {
        if (name.startsWith(':') || value === undefined) continue;
        for (const one of Array.isArray(value) ? value : [String(value)]) pairs.push([name, one]);
      }
    };
    call.on('response', (block) => {
      status = Number(block[':status']);
      keep(block);
    });
    call.on('trailers', keep);
    call.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
    });
    call.on('end', () => {
      session.close();
      resolve({ status, headers: pairs, body: Buffer.concat(chunks), size });
    });
    call.on('error', fail);
    if (body !== null) call.end(body);
  });
}
