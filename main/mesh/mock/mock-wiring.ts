/**
 * Record-to-mock as the mesh wires it: the MockBook built from the mesh's options (its workspace is
 * the config file's or disco/ folder's parent), and the admin handlers of the four mock operations.
 * Kept here so that mesh.ts only makes the book, starts and stops it.
 */
import path from 'node:path';
import type { OperationName } from '../../../shared/api.js';
import type { LogPage, LogQuery } from '../../../shared/exchange.js';
import type { AdminHandlers } from '../admin/admin-server.js';
import type { Registry } from '../registry/registry.js';
import type { MeshState } from '../store/mesh-state.js';
import type { StateStore } from '../store/state-store.js';
import { MESHDESK_VERSION } from '../version.js';
import { MockBook } from './mock-book.js';
import { recordMock } from './mock-recorder.js';

type MockOperation = Extract<OperationName, 'listMocks' | 'recordMock' | 'serveMock' | 'stopMock'>;

/** The workspace of a mesh: the folder of its meshdesk.yaml, else the parent of its disco/ folder. */
export function meshWorkspace(configFile: string | null, discoDir: string | null | undefined): string | null {
  if (configFile) return path.dirname(path.resolve(configFile));
  if (discoDir) return path.dirname(path.resolve(discoDir));
  return null;
}

export function createMockBook(registry: Registry, store: StateStore<MeshState>, configFile: string | null, discoDir: string | null | undefined): MockBook {
  registry.replaceSource('mock', []);
  return new MockBook({ registry, store, workspace: meshWorkspace(configFile, discoDir) });
}

export function mockHandlers(mocks: MockBook, query: (query: Partial<LogQuery>) => LogPage): Pick<AdminHandlers, MockOperation> {
  return {
    listMocks: () => mocks.list(),
    recordMock: (input) => recordMock(input, { query, fileFor: (service, given) => mocks.fileFor(service, given), version: MESHDESK_VERSION }),
    serveMock: (input) => mocks.serve(input),
    stopMock: ({ service }) => mocks.stop(service),
  };
}
