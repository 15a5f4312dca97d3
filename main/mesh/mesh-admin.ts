/**
 * The admin contract's handlers, each a thin call into the part of the mesh that owns the answer.
 * Kept out of mesh.ts so that the wiring and the API surface are read separately.
 */
import type { MeshInfo } from '../../shared/api.js';
import type { MeshConfig } from '../../shared/config-schema.js';
import type { Bypass } from '../../shared/bypass.js';
import type { AdminHandlers } from './admin/admin-server.js';
import type { DemoLoader } from './demo/demo-loader.js';
import { exportGatewayApi } from './export/export-routes.js';
import type { DecodesGrpc } from './grpc/lazy-decoder.js';
import { MeshError } from './mesh-error.js';
import type { MockBook } from './mock/mock-book.js';
import { mockHandlers } from './mock/mock-wiring.js';
import { replay } from './replay.js';
import type { Shadowing } from './shadow/shadowing.js';
import type { Registry } from './registry/registry.js';
import type { RuntimeRegistrations } from './registry/runtime-registrations.js';
import type { FaultTable } from './routing/fault-table.js';
import type { RouteGuards } from './routing/route-guards.js';
import type { RouteTable } from './routing/route-table.js';
import type { Telemetry } from './telemetry/telemetry.js';
import type { ServiceView } from '../../shared/model.js';
import type { ServiceRoute } from '../../shared/routes.js';
import type { StatsSnapshot } from '../../shared/stats.js';

export interface MeshParts {
  info: () => MeshInfo;
  /** The stats snapshot with what the proxy adds (retry budgets). */
  stats: () => StatsSnapshot;
  demo: DemoLoader;
  proxyUrl: () => string;
  newLoginUrl: () => string;
  registry: Registry;
  /** The registry's services with each instance's health from traffic (service-views.ts). */
  services: () => ServiceView[];
  runtime: RuntimeRegistrations;
  routes: RouteTable;
  /** Reroutes with a guard are watched and rolled back on a breach; views carry the guard. */
  guards: RouteGuards;
  faults: FaultTable;
  telemetry: Telemetry;
  /** Processes seen calling instances straight, past the proxy. */
  bypasses: () => Bypass[];
  grpcDecoder: DecodesGrpc;
  /** Recordings served as `<service>@recorded`. */
  mocks: MockBook;
  /** The config in force: the last good meshdesk.yaml. */
  config: () => MeshConfig;
  /** Shadow rules and the diffs of their pairs. */
  shadowing: Shadowing;
}

export function adminHandlers(parts: MeshParts): AdminHandlers {
  const { registry, routes, guards, faults, telemetry } = parts;
  return {
    getInfo: () => parts.info(),
    listServices: () => parts.services(),
    createLoginUrl: () => ({ url: parts.newLoginUrl() }),
    registerInstance: (input) => {
      parts.runtime.register(input);
      return parts.services();
    },
    deregisterInstance: (input) => {
      parts.runtime.deregister(input);
      return parts.services();
    },
    listRoutes: () => routeViews(registry, routes, guards),
    reroute: (input) => guards.reroute(input),
    rollback: ({ service }) => guards.withGuard(routes.rollback(service)),
    exportGatewayApi: (input) => exportGatewayApi({ registry, routes, config: parts.config }, input),
    ...mockHandlers(parts.mocks, (query) => telemetry.query(query)),
    // listShadows, startShadow, stopShadow and the diff operations (getDiffs, listDiffPairs, getDiffPair, clearDiffs).
    ...parts.shadowing.handlers(),
    listFaults: () => faults.list(),
    setFault: (fault) => {
      if (!registry.lookup(fault.service)) throw new MeshError(404, `unknown service ${fault.service}`);
      return faults.set(fault);
    },
    clearFault: ({ service, caller }) => faults.clear(service, caller),
    getStats: () => parts.stats(),
    listBypasses: () => parts.bypasses(),
    queryLog: (query) => telemetry.query(query),
    getExchange: ({ id, reveal }) => {
      const exchange = telemetry.exchange(id, reveal ?? false);
      if (!exchange) throw new MeshError(404, `no exchange ${id} in the log (it holds the newest ${telemetry.query({ limit: 1 }).capacity})`);
      return exchange;
    },
    decodeGrpc: ({ id }) => {
      const exchange = telemetry.exchange(id);
      if (!exchange) throw new MeshError(404, `no exchange ${id} in the log`);
      if (exchange.grpc === undefined) throw new MeshError(400, `exchange ${id} is not a gRPC call`);
      return parts.grpcDecoder.decode(exchange);
    },
    clearLog: () => ({ cleared: telemetry.clearLog() }),
    loadDemo: async () => {
      await parts.demo.load();
      return parts.info();
    },
    unloadDemo: async () => {
      await parts.demo.unload();
      return parts.info();
    },
    replay: (input) => {
      const original = telemetry.exchange(input.id);
      if (!original) throw new MeshError(404, `no exchange ${input.id} in the log`);
      return replay(original, input, {
        proxyUrl: parts.proxyUrl(),
        newestReplay: () => telemetry.query({ caller: 'replay', limit: 1 }).exchanges[0] ?? null,
      });
    },
  };
}

export function routeViews(registry: Registry, routes: RouteTable, guards: RouteGuards): ServiceRoute[] {
  return registry.list().flatMap((service) => {
    const record = registry.lookup(service.name);
    return record ? [guards.withGuard(routes.view(record))] : [];
  });
}
