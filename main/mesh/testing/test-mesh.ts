/**
 * A real Mesh for tests, made as the tests made it each for themselves: a fresh temp folder holding
 * the given meshdesk.yaml (and serving as the dashboard root), both listeners on loopback port 0,
 * the log silenced, and its stop registered with the test's cleanups, so nothing lingers.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { onTestFinished } from 'vitest';
import { Mesh, type MeshAddresses, type MeshOptions } from '../mesh.js';

export interface TestMeshOptions extends Partial<Omit<MeshOptions, 'configFile' | 'rendererRoot'>> {
  /** The text of meshdesk.yaml, or null for a mesh without one. */
  yaml: string | null;
  /**
   * The test's cleanup list, run in reverse after each test: the stop joins it, so the mesh stops
   * before what was set up ahead of it (its upstreams). Without one, the stop runs at onTestFinished.
   */
  cleanups?: (() => unknown)[];
}

export interface TestMesh {
  mesh: Mesh;
  dir: string;
  /** Where meshdesk.yaml is (with `yaml: null`, where it would be: the mesh was given none). */
  configFile: string;
}

/** Creates the mesh without starting it (subscribe to its events first, or never listen at all). */
export async function createTestMesh({ yaml, cleanups, ...overrides }: TestMeshOptions): Promise<TestMesh> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'meshdesk-test-'));
  const configFile = path.join(dir, 'meshdesk.yaml');
  if (yaml !== null) writeFileSync(configFile, yaml);
  const mesh = await Mesh.create({
    proxyHost: '127.0.0.1',
    proxyPort: 0,
    adminHost: '127.0.0.1',
    adminPort: 0,
    configFile: yaml === null ? null : configFile,
    rendererRoot: dir,
    log: () => undefined,
    ...overrides,
  });
  const stop = () => mesh.stop(0);
  if (cleanups) cleanups.push(stop);
  else onTestFinished(stop);
  return { mesh, dir, configFile };
}

/** Creates the mesh and starts it; `addresses` are where it listens. */
export async function startTestMesh(options: TestMeshOptions): Promise<TestMesh & { addresses: MeshAddresses }> {
  const created = await createTestMesh(options);
  return { ...created, addresses: await created.mesh.start() };
}
