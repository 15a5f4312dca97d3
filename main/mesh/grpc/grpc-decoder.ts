/**
 * A logged gRPC call's messages, decoded for the detail pane: its captured bodies split into
 * messages (grpc-frames.ts), each decoded with the method's request or response type into
 * protobuf's JSON mapping. Types come from meshdesk.yaml's `protoPaths` first (what the developer
 * said), else from the answering instance's reflection service; without either, each message is
 * shown by its size and first bytes. Runs when someone opens a call, never on the proxy's path.
 */
import type { Exchange } from '../../../shared/exchange.js';
import type { GrpcDecoding, GrpcMessage } from '../../../shared/grpc-messages.js';
import type protobuf from 'protobufjs';
import { grpcFrames, type GrpcFrame } from './grpc-frames.js';
import { loadProtoTypes, type ProtoTypes } from './proto-files.js';
import type { Reflection } from './reflection.js';

const HEX_BYTES = 64;

export interface ProtoPaths {
  paths: readonly string[];
  /** What relative paths are relative to: meshdesk.yaml's folder. */
  baseDir: string;
}

interface MethodTypes {
  request: protobuf.Type;
  response: protobuf.Type;
}

export class GrpcDecoder {
  private loaded: { key: string; types: ProtoTypes } | null = null;

  constructor(
    private readonly protoPaths: () => ProtoPaths,
    private readonly reflection: Reflection,
  ) {}

  async decode(exchange: Exchange): Promise<GrpcDecoding> {
    const method = exchange.path;
    const request = framesOf(exchange.requestBody);
    const response = framesOf(exchange.responseBody);
    const name = methodName(method);
    if (name === null) return undecoded(method, request, response, `${method} is not a gRPC method path (/package.Service/Method)`);
    const fromFiles = this.protoTypes();
    let types = findMethod(fromFiles.roots, name.service, name.method);
    let source: GrpcDecoding['source'] = 'proto-files';
    let note: string | null = null;
    if (types === null) {
      source = 'reflection';
      const reflected =
        exchange.instance === null ? { problem: 'no instance answered the call' } : await this.reflection.typesOf(exchange.instance, name.service);
      if ('root' in reflected) types = findMethod([reflected.root], name.service, name.method);
      if (types === null)
        note = `${filesSaid(fromFiles, name.service)}; ${'problem' in reflected ? reflected.problem : `reflection does not describe ${method}`}`;
    }
    if (types === null) return undecoded(method, request, response, note);
    return {
      method,
      requestType: types.request.fullName.replace(/^\./, ''),
      responseType: types.response.fullName.replace(/^\./, ''),
      source,
      note: fromFiles.problems.length > 0 && source === 'proto-files' ? fromFiles.problems.join('; ') : null,
      request: request.map((frame) => decodeFrame(frame, types.request)),
      response: response.map((frame) => decodeFrame(frame, types.response)),
    };
  }

  /** The types of the protoPaths in force, read again when the list changes. */
  private protoTypes(): ProtoTypes {
    const { paths, baseDir } = this.protoPaths();
    const key = `${baseDir}\n${paths.join('\n')}`;
    if (this.loaded?.key !== key) this.loaded = { key, types: paths.length === 0 ? { roots: [], files: [], problems: [] } : loadProtoTypes(paths, baseDir) };
    return this.loaded.types;
  }
}

/** What protoPaths had to say about a service it does not declare. */
function filesSaid(types: ProtoTypes, service: string): string {
  if (types.files.length > 0) return `${service} is in none of the ${types.files.length} protoPaths files`;
  if (types.problems.length > 0) return `protoPaths gave no types (${types.problems.join('; ')})`;
  return 'no protoPaths in meshdesk.yaml';
}

function methodName(path: string): { service: string; method: string } | null {
  const match = /^\/([A-Za-z_][\w.]*)\/([A-Za-z_]\w*)$/.exec(path);
  return match === null ? null : { service: match[1] as string, method: match[2] as string };
}

function findMethod(roots: readonly protobuf.Root[], service: string, method: string): MethodTypes | null {
  for (const root of roots) {
    const found = root.lookup(service);
    if (found === null || !('methods' in found)) continue;
    const rpc = (found as protobuf.Service).methods[method];
    if (rpc === undefined) continue;
    rpc.resolve();
    if (rpc.resolvedRequestType && rpc.resolvedResponseType) return { request: rpc.resolvedRequestType, response: rpc.resolvedResponseType };
  }
  return null;
}

function framesOf(body: Exchange['requestBody']): GrpcFrame[] {
  if (body === null) return [];
  return grpcFrames(Buffer.from(body.data, body.encoding === 'base64' ? 'base64' : 'utf8'));
}

function decodeFrame(frame: GrpcFrame, type: protobuf.Type): GrpcMessage {
  const base = { size: frame.size, compressed: frame.compressed, truncated: frame.truncated };
  if (frame.compressed || frame.truncated) return { ...base, hex: hexOf(frame.bytes) };
  try {
    // protobuf's JSON mapping: 64-bit numbers as strings, enums by name, bytes as base64.
    const json = type.toObject(type.decode(frame.bytes), { longs: String, enums: String, bytes: String, json: true });
    return { ...base, json };
  } catch {
    return { ...base, hex: hexOf(frame.bytes) };
  }
}

function undecoded(method: string, request: GrpcFrame[], response: GrpcFrame[], note: string | null): GrpcDecoding {
  const raw = (frame: GrpcFrame): GrpcMessage => ({ size: frame.size, compressed: frame.compressed, truncated: frame.truncated, hex: hexOf(frame.bytes) });
  return { method, requestType: null, responseType: null, source: 'none', note, request: request.map(raw), response: response.map(raw) };
}

function hexOf(bytes: Buffer): string {
  const shown = bytes
    .subarray(0, HEX_BYTES)
    .toString('hex')
    .replace(/(..)(?!$)/g, '$1 ');
  return bytes.length > HEX_BYTES ? `${shown} …` : shown;
}
