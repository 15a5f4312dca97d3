/**
 * "Copy as grpcurl": a command that makes the gRPC call again through the mesh, the way gRPC users
 * already work: `grpcurl -plaintext -authority greeter -d '{…}' 127.0.0.1:4140
 * helloworld.Greeter/SayHello`. grpcurl takes messages as JSON, so the call must have been decoded;
 * it finds the types by reflection through the mesh, or, when they came from protoPaths, needs the
 * same files (the command says so). Left out: headers gRPC or the mesh set themselves, and masked
 * values.
 */
import { MASKED_VALUE, type Exchange } from '../../../shared/exchange.js';
import type { GrpcDecoding } from '../../../shared/grpc-messages.js';
import { quote } from './curl-command.js';

const NOT_SENT = new Set([
  'content-type',
  'te',
  'user-agent',
  'grpc-accept-encoding',
  'accept-encoding',
  'grpc-encoding',
  'grpc-timeout',
  'via',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-host',
  'x-meshdesk-caller',
]);

/** The command, or why there is none. */
export function grpcurlCommand(
  exchange: Pick<Exchange, 'service' | 'path' | 'requestHeaders'>,
  decoding: GrpcDecoding,
  proxyUrl: string,
): { command: string } | { reason: string } {
  if (decoding.source === 'none') return { reason: 'grpcurl takes messages as JSON: the mesh needs the message types (see above)' };
  if (decoding.request.some((message) => message.json === undefined))
    return { reason: 'a request message could not be decoded (compressed or cut by the log)' };
  const lines = [`grpcurl -plaintext -authority ${quote(exchange.service)}`];
  const note = decoding.source === 'proto-files' ? '# the types came from protoPaths: add -import-path DIR -proto FILE.proto as in meshdesk.yaml\n' : '';
  for (const [name, value] of exchange.requestHeaders ?? []) {
    const lower = name.toLowerCase();
    if (lower.startsWith(':') || NOT_SENT.has(lower) || value === MASKED_VALUE) continue;
    lines.push(`  -H ${quote(`${lower}: ${value}`)}`);
  }
  const messages = decoding.request.map((message) => JSON.stringify(message.json)).join(' ');
  if (messages !== '') lines.push(`  -d ${quote(messages)}`);
  lines.push(`  ${new URL(proxyUrl).host} ${exchange.path.replace(/^\//, '')}`);
  return { command: note + lines.join(' \\\n') };
}
