/**
 * Which protobuf library decodes the log's gRPC messages (issue 15): protobufjs against
 * @bufbuild/protobuf, measured on what the mesh does with a message — decode the bytes with a type
 * found at run time (from a .proto or reflection's descriptors) and turn it into JSON — with types
 * from the same FileDescriptorSet, interleaved rounds, one process. Prints a markdown table.
 * Run: npm run bench:protobuf
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFileRegistry, fromBinary, toJson, type DescMessage } from '@bufbuild/protobuf';
import { FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import protobuf from 'protobufjs';
import descriptor from 'protobufjs/ext/descriptor/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const PROTO = path.resolve(here, '..', '..', '..', 'main', 'mesh', 'proxy', 'h2', 'testing', 'greeter.proto');
const ROUNDS = 5;
const PER_ROUND = 200_000;

interface Library {
  name: string;
  decodeToJson(bytes: Uint8Array): unknown;
}

function libraries(): { libraries: Library[]; message: Uint8Array } {
  // protobufjs reads the .proto text itself; @bufbuild/protobuf is given the same types as descriptors.
  const root = protobuf.loadSync(PROTO) as protobuf.Root & { toDescriptor(syntax: string): protobuf.Message };
  const type = root.lookupType('helloworld.HelloRequest');
  const setBytes = descriptor.FileDescriptorSet.encode(root.toDescriptor('proto3')).finish();
  const registry = createFileRegistry(fromBinary(FileDescriptorSetSchema, setBytes));
  const desc = registry.getMessage('helloworld.HelloRequest') as DescMessage;
  const message = type.encode(type.create({ name: 'a name as long as a typical request field', count: 12345 })).finish();
  return {
    message,
    libraries: [
      { name: 'protobufjs 7', decodeToJson: (bytes) => type.toObject(type.decode(bytes), { longs: String, enums: String, bytes: String, json: true }) },
      { name: '@bufbuild/protobuf 2', decodeToJson: (bytes) => toJson(desc, fromBinary(desc, bytes)) },
    ],
  };
}

function nsPerMessage(library: Library, message: Uint8Array): number {
  const started = process.hrtime.bigint();
  for (let i = 0; i < PER_ROUND; i++) library.decodeToJson(message);
  return Number(process.hrtime.bigint() - started) / PER_ROUND;
}

const { libraries: all, message } = libraries();
const results = new Map<string, number[]>(all.map((library) => [library.name, []]));
for (const library of all) nsPerMessage(library, message); // warm-up
for (let round = 0; round < ROUNDS; round++) for (const library of all) results.get(library.name)?.push(nsPerMessage(library, message));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const baseline = median(results.get(all[0]?.name ?? '') ?? []);
console.log(
  `${os.cpus()[0]?.model ?? 'CPU'}; Node ${process.version}; ${ROUNDS} interleaved rounds of ${PER_ROUND.toLocaleString('en-US')} decodes of a ${message.length}-byte HelloRequest into JSON\n`,
);
console.log('| library | reads .proto at run time | ns per message (median, min–max) | × protobufjs |');
console.log('|---|---|---|---|');
for (const library of all) {
  const values = results.get(library.name) ?? [];
  const range = `${Math.round(Math.min(...values))}–${Math.round(Math.max(...values))}`;
  const reads = library.name.startsWith('protobufjs') ? 'yes' : 'no (needs protoc or buf to make descriptors)';
  console.log(`| ${library.name} | ${reads} | ${Math.round(median(values))} (${range}) | ${(median(values) / baseline).toFixed(2)} |`);
}
