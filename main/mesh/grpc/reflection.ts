/**
 * gRPC server reflection (grpc.reflection.v1, else v1alpha, which older servers still serve): asks
 * an instance for the file that declares a service, with its dependencies, and makes types of them.
 * What grpcurl and Postman do to call a server without its .proto files. One call per instance and
 * service, kept for a minute (a restarted server may have new types) and never repeated while one
 * is under way; over a fresh HTTP/2 connection, which node:http2 never sends through a proxy.
 */
import http2 from 'node:http2';
import protobuf from 'protobufjs';
import { classifyUpstreamError } from '../proxy/upstream-errors.js';
import { rootFromFileDescriptors } from './descriptors.js';
import { firstWholeMessage, framed } from './grpc-frames.js';

const REFLECTION_PATHS = ['/grpc.reflection.v1.ServerReflection/ServerReflectionInfo', '/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo'];
const KEEP_MS = 60_000;

/** The few reflection messages the mesh needs, v1 and v1alpha alike (the same fields). */
const messages = protobuf.Root.fromJSON({
  nested: {
    ServerReflectionRequest: { fields: { fileContainingSymbol: { type: 'string', id: 4 } } },
    ServerReflectionResponse: {
      fields: { fileDescriptorResponse: { type: 'FileDescriptorResponse', id: 4 }, errorResponse: { type: 'ErrorResponse', id: 7 } },
    },
    FileDescriptorResponse: { fields: { fileDescriptorProto: { rule: 'repeated', type: 'bytes', id: 1 } } },
    ErrorResponse: { fields: { errorCode: { type: 'int32', id: 1 }, errorMessage: { type: 'string', id: 2 } } },
  },
});
const Request = messages.lookupType('ServerReflectionRequest');
const Response = messages.lookupType('ServerReflectionResponse');

interface ReflectionResponse {
  fileDescriptorResponse?: { fileDescriptorProto?: Uint8Array[] };
  errorResponse?: { errorCode?: number; errorMessage?: string };
}

/** Types from an instance's reflection service, or why there are none. */
export type Reflected = { root: protobuf.Root } | { problem: string };

export class Reflection {
  private readonly known = new Map<string, { at: number; result: Promise<Reflected> }>();

  constructor(private readonly timeoutMs = 2_000) {}

  /** The types of `service` (`package.Service`) as the instance at `address` (`host:port`) describes them. */
  typesOf(address: string, service: string): Promise<Reflected> {
    const key = `${address} ${service}`;
    const kept = this.known.get(key);
    if (kept !== undefined && performance.now() - kept.at < KEEP_MS) return kept.result;
    const result = this.ask(address, service);
    this.known.set(key, { at: performance.now(), result });
    return result;
  }

  private async ask(address: string, service: string): Promise<Reflected> {
    let problem = '';
    for (const path of REFLECTION_PATHS) {
      const answer = await reflectionCall(address, path, service, this.timeoutMs);
      if ('root' in answer) return answer;
      problem = answer.problem;
      // Only a server without this version of the service is worth asking the next one.
      if (!problem.includes('UNIMPLEMENTED')) break;
    }
    return { problem };
  }
}

function reflectionCall(address: string, path: string, service: string, timeoutMs: number): Promise<Reflected> {
  return new Promise((resolve) => {
    const session = http2.connect(`http://${address}`);
    const chunks: Buffer[] = [];
    let grpcStatus: string | undefined;
    let grpcMessage: string | undefined;
    const finish = (result: Reflected) => {
      clearTimeout(timer);
      session.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish({ problem: `reflection: no answer from ${address} within ${timeoutMs} ms` }), timeoutMs);
    session.on('error', (error) => finish({ problem: `reflection at ${address}: ${networkWords(error)}` }));
    const call = session.request({ ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers' });
    const note = (headers: http2.IncomingHttpHeaders) => {
      grpcStatus = (headers['grpc-status'] as string | undefined) ?? grpcStatus;
      grpcMessage = (headers['grpc-message'] as string | undefined) ?? grpcMessage;
    };
    call.on('response', note);
    call.on('trailers', note);
    call.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const answer = firstWholeMessage(Buffer.concat(chunks));
      // One answer is all the mesh asks for: it ends the call itself rather than wait for the server.
      if (answer !== null) finish(reflected(answer, address, service));
    });
    call.on('end', () => {
      const status = grpcStatus === '12' ? 'UNIMPLEMENTED' : `gRPC status ${grpcStatus ?? 'none'}`;
      finish({ problem: `reflection at ${address} answered ${status}${grpcMessage ? `: ${decodeURIComponent(grpcMessage)}` : ''}` });
    });
    call.on('error', (error) => finish({ problem: `reflection at ${address}: ${networkWords((error.cause as Error | undefined) ?? error)}` }));
    // The call stays open (a bidirectional stream) until the answer came: some servers end theirs with ours.
    call.write(framed(Request.encode(Request.create({ fileContainingSymbol: service })).finish()));
  });
}

/** A connection's failure in the words the rest of the mesh uses (`connection refused`). */
function networkWords(error: Error): string {
  return classifyUpstreamError(error).cause;
}

function reflected(bytes: Buffer, address: string, service: string): Reflected {
  try {
    const response = Response.toObject(Response.decode(bytes), { bytes: Array }) as ReflectionResponse;
    if (response.errorResponse) {
      return {
        problem: `reflection at ${address} does not know ${service}: ${response.errorResponse.errorMessage ?? `error ${response.errorResponse.errorCode}`}`,
      };
    }
    const files = (response.fileDescriptorResponse?.fileDescriptorProto ?? []).map((file) => Uint8Array.from(file));
    if (files.length === 0) return { problem: `reflection at ${address} sent no descriptors for ${service}` };
    const root = rootFromFileDescriptors(files);
    root.resolveAll();
    return { root };
  } catch (error) {
    return { problem: `reflection at ${address}: unreadable descriptors (${(error as Error).message})` };
  }
}
