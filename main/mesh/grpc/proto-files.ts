/**
 * The message types meshdesk.yaml's `protoPaths` names: `.proto` files (parsed at run time, so no
 * protoc is needed) and descriptor sets (`protoc --descriptor_set_out`, `buf build -o`: `.pb`,
 * `.desc`, `.binpb`), or folders holding them. protobufjs is the library because it is the one that
 * reads `.proto` text at run time, and its descriptor extension reads the descriptors that server
 * reflection sends (reflection.ts); @bufbuild/protobuf needs descriptors compiled ahead of time.
 * Decoding happens when someone opens a call in the log, never on the proxy's path.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import protobuf from 'protobufjs';
import { rootFromDescriptorSet } from './descriptors.js';

const DESCRIPTOR_SET = /\.(pb|desc|binpb)$/;
/** A folder is searched this deep and for at most this many files: `protoPaths: [.]` must not scan a whole disk. */
const MAX_DEPTH = 8;
const MAX_FILES = 2_000;

export interface ProtoTypes {
  /** One root per source: a descriptor set is a root of its own. */
  roots: protobuf.Root[];
  /** Files read, for the note a decoding carries. */
  files: string[];
  /** What could not be read, with why. */
  problems: string[];
}

/** Reads every source below `paths` (relative to `baseDir`); a broken file is a problem, not a failure. */
export function loadProtoTypes(paths: readonly string[], baseDir: string): ProtoTypes {
  const absolute = paths.map((entry) => path.resolve(baseDir, entry));
  const found = { protos: [] as string[], sets: [] as string[], problems: [] as string[] };
  for (const entry of absolute) collect(entry, 0, found);
  const types: ProtoTypes = { roots: [], files: [], problems: found.problems };
  if (found.protos.length > 0) {
    const root = new protobuf.Root();
    // Imports resolve beside the importing file, else under each protoPaths entry (an include path).
    const includeDirs = absolute.map((entry) => (isDirectory(entry) ? entry : path.dirname(entry)));
    root.resolvePath = (origin, target) => resolveImport(origin, target, includeDirs);
    for (const file of found.protos) {
      try {
        root.loadSync(file);
        types.files.push(file);
      } catch (error) {
        types.problems.push(`${file}: ${(error as Error).message}`);
      }
    }
    types.roots.push(root);
  }
  for (const file of found.sets) {
    try {
      types.roots.push(rootFromDescriptorSet(readFileSync(file)));
      types.files.push(file);
    } catch (error) {
      types.problems.push(`${file}: not a descriptor set (${(error as Error).message})`);
    }
  }
  return types;
}

function collect(entry: string, depth: number, found: { protos: string[]; sets: string[]; problems: string[] }): void {
  if (found.protos.length + found.sets.length >= MAX_FILES) return;
  let stats;
  try {
    stats = statSync(entry);
  } catch {
    found.problems.push(`${entry}: no such file or folder`);
    return;
  }
  if (stats.isDirectory()) {
    if (depth >= MAX_DEPTH) return;
    for (const name of readdirSync(entry).sort()) {
      if (name.startsWith('.') || name === 'node_modules') continue;
      const child = path.join(entry, name);
      if (name.endsWith('.proto') || DESCRIPTOR_SET.test(name) || isDirectory(child)) collect(child, depth + 1, found);
    }
  } else if (entry.endsWith('.proto')) {
    found.protos.push(entry);
  } else if (DESCRIPTOR_SET.test(entry)) {
    found.sets.push(entry);
  } else {
    found.problems.push(`${entry}: neither a .proto file nor a descriptor set (.pb, .desc, .binpb)`);
  }
}

function resolveImport(origin: string, target: string, includeDirs: readonly string[]): string {
  if (path.isAbsolute(target)) return target;
  const candidates = [origin ? path.join(path.dirname(origin), target) : target, ...includeDirs.map((dir) => path.join(dir, target))];
  return candidates.find((candidate) => isFile(candidate)) ?? (candidates[0] as string);
}

function isDirectory(entry: string): boolean {
  try {
    return statSync(entry).isDirectory();
  } catch {
    return false;
  }
}

function isFile(entry: string): boolean {
  try {
    return statSync(entry).isFile();
  } catch {
    return false;
  }
}
