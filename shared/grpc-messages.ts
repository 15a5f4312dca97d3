/**
 * A gRPC call's messages as the detail pane lists them: each length-prefixed message of the
 * captured request and response bodies, decoded to JSON (protobuf's JSON mapping) when the mesh
 * knows the method's types — from the server's reflection service or from `.proto` files and
 * descriptor sets named in meshdesk.yaml's `protoPaths` — else its size and first bytes in hex.
 */
import { z } from 'zod';

export const grpcMessageSchema = z.object({
  /** Bytes of the message, without its 5-byte prefix (what the prefix announced, when the capture was cut). */
  size: z.number().int().nonnegative(),
  /** Compressed with the call's grpc-encoding: shown as bytes, never decoded. */
  compressed: z.boolean(),
  /** The log's body capture stopped inside this message. */
  truncated: z.boolean(),
  /** The message in protobuf's JSON mapping; absent when it could not be decoded. */
  json: z.unknown().optional(),
  /** Its first bytes (at most 64) in hex, when it was not decoded. */
  hex: z.string().optional(),
});
export type GrpcMessage = z.infer<typeof grpcMessageSchema>;

export const grpcDecodingSchema = z.object({
  /** `/package.Service/Method`. */
  method: z.string(),
  /** Fully qualified message types, when known. */
  requestType: z.string().nullable(),
  responseType: z.string().nullable(),
  /** Where the types came from. */
  source: z.enum(['reflection', 'proto-files', 'none']),
  /** Why messages are not decoded (no types found, reflection failed…), or null. */
  note: z.string().nullable(),
  request: z.array(grpcMessageSchema),
  response: z.array(grpcMessageSchema),
});
export type GrpcDecoding = z.infer<typeof grpcDecodingSchema>;
