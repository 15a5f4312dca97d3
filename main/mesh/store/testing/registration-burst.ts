/**
 * Test child for the crash test: registers instances through the real RuntimeRegistrations and
 * JsonFileStore as fast as it can, printing `ack <n>` only after `register` (and so `set`) returned.
 * The parent kills it with SIGKILL mid-burst and checks every acknowledged registration survived.
 * Run: node --import ./ts-hooks.mjs registration-burst.ts <state dir> <first> <count>
 */
import { Registry } from '../../registry/registry.js';
import { RuntimeRegistrations } from '../../registry/runtime-registrations.js';
import { JsonFileStore } from '../json-file-store.js';
import { emptyMeshState } from '../mesh-state.js';

const [directory, first, count] = process.argv.slice(2);
const registrations = new RuntimeRegistrations(new JsonFileStore({ directory: directory as string, defaults: emptyMeshState() }), new Registry());
registrations.load();
for (let n = Number(first); n < Number(first) + Number(count); n++) {
  registrations.register({ service: `svc-${n % 50}`, version: `v${n}`, address: `127.0.0.1:${10_000 + n}`, origin: 'CLI' });
  process.stdout.write(`ack ${n}\n`);
}
