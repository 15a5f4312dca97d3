/**
 * Protobuf descriptors into types: what descriptor sets on disk and server reflection give. The
 * protobufjs descriptor extension adds `Root.fromDescriptor` at run time but does not declare it
 * in its typings, so the one cast lives here.
 */
import protobuf from 'protobufjs';
import descriptor from 'protobufjs/ext/descriptor/index.js';

type RootWithDescriptors = typeof protobuf.Root & { fromDescriptor(set: protobuf.Message | object): protobuf.Root };

/** A root holding every type of a FileDescriptorSet (bytes, as `--descriptor_set_out` writes them). */
export function rootFromDescriptorSet(bytes: Uint8Array): protobuf.Root {
  return (protobuf.Root as RootWithDescriptors).fromDescriptor(descriptor.FileDescriptorSet.decode(bytes));
}

/** A root holding the types of FileDescriptorProtos (each as bytes, as reflection sends them). */
export function rootFromFileDescriptors(files: readonly Uint8Array[]): protobuf.Root {
  const set = descriptor.FileDescriptorSet.create({ file: files.map((file) => descriptor.FileDescriptorProto.decode(file)) });
  return (protobuf.Root as RootWithDescriptors).fromDescriptor(set);
}
