/**
 * The gRPC decoder, loaded when someone first opens a gRPC call. It needs protobufjs and its
 * descriptor extension, which cost RSS from the mesh's start (see README Performance, issue 21),
 * and most meshes never decode a gRPC message.
 */
import type { Exchange } from '../../../shared/exchange.js';
import type { GrpcDecoding } from '../../../shared/grpc-messages.js';
import type { GrpcDecoder, ProtoPaths } from './grpc-decoder.js';

export interface DecodesGrpc {
  decode(exchange: Exchange): Promise<GrpcDecoding>;
}

export class LazyGrpcDecoder implements DecodesGrpc {
  private decoder: Promise<GrpcDecoder> | null = null;

  constructor(private readonly protoPaths: () => ProtoPaths) {}

  async decode(exchange: Exchange): Promise<GrpcDecoding> {
    this.decoder ??= this.load();
    return (await this.decoder).decode(exchange);
  }

  private async load(): Promise<GrpcDecoder> {
    try {
      const [{ GrpcDecoder }, { Reflection }] = await Promise.all([import('./grpc-decoder.js'), import('./reflection.js')]);
      return new GrpcDecoder(this.protoPaths, new Reflection());
    } catch (error) {
      // Tried again by the next call opened, rather than failing every one after.
      this.decoder = null;
      throw error;
    }
  }
}
