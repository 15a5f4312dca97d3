/**
 * The shape of everything the mesh persists through its StateStore. Kept in one place so the
 * desktop app's electron-store, `conf` headless and the memory store in tests hold the same thing.
 */
import type { HealthCheck } from '../../../shared/config-schema.js';
import type { MockMatching } from '../../../shared/mock.js';
import type { RuntimeOrigin } from '../../../shared/model.js';
import type { Route } from '../../../shared/routes.js';
import type { ShadowRule } from '../../../shared/shadow.js';

export interface StoredRegistration {
  service: string;
  version: string;
  address: string;
  origin: RuntimeOrigin;
  labels?: Record<string, string>;
  healthCheck?: HealthCheck;
  /** ISO time of the registration. */
  registeredAt: string;
}

/** A recording served as `<service>@recorded` (mock/mock-book.ts); the HAR file is read again at start. */
export interface StoredMock {
  service: string;
  /** Absolute path of the HAR file. */
  file: string;
  matching: MockMatching;
  ignoreHeaders?: string[];
  replayLatency: boolean;
}

export interface MeshState extends Record<string, unknown> {
  registrations: StoredRegistration[];
  /** Routes set through the admin API (CLI, GUI), service → route; they override meshdesk.yaml's. */
  routes: Record<string, Route>;
  /** Mocks served, one per service; absent in state written before mocks existed. */
  mocks?: StoredMock[];
  /** Shadow rules set through the admin API, service → rule; they override meshdesk.yaml's. Absent before shadowing existed. */
  shadows?: Record<string, ShadowRule & { since: string }>;
}

export function emptyMeshState(): MeshState {
  return { registrations: [], routes: {} };
}
