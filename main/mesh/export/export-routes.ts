/**
 * The admin API's "export for Kubernetes": the routes in force (meshdesk.yaml's, then what the
 * dashboard, the CLI or the API changed) of every registered service, or of one, with the timeouts
 * and retries the config in force declares, written as Gateway API HTTPRoutes.
 */
import type { MeshConfig } from '../../../shared/config-schema.js';
import { DEFAULT_BACKEND_NAME, DEFAULT_SERVICE_PORT, type GatewayExport, type GatewayExportInput } from '../../../shared/gateway-export.js';
import { MOCK_VERSION } from '../../../shared/mock.js';
import { MeshError } from '../mesh-error.js';
import type { Registry } from '../registry/registry.js';
import type { RouteTable } from '../routing/route-table.js';
import { MESHDESK_VERSION } from '../version.js';
import { httpRoutes, type DeclaredResilience, type ExportedService } from './gateway-api.js';
import { httpRoutesYaml } from './gateway-api-yaml.js';

export interface ExportSources {
  registry: Registry;
  routes: RouteTable;
  /** The config in force: the last good meshdesk.yaml. */
  config: () => MeshConfig;
}

export function exportGatewayApi(sources: ExportSources, input: GatewayExportInput): GatewayExport {
  const { registry, routes } = sources;
  const names = input.service === undefined ? registry.list().map((service) => service.name) : [input.service];
  const services: ExportedService[] = names.map((name) => {
    const record = registry.lookup(name);
    if (!record) throw new MeshError(404, `unknown service ${name}`);
    const versions = [...record.versions.keys()];
    // A mock (`meshdesk mock serve`) answers from this machine's recording: no cluster has its Service.
    const isLocal = (version: string) => version === MOCK_VERSION;
    return {
      name: record.name,
      versions: versions.filter((version) => !isLocal(version)),
      route: routes.get(record.name) ?? null,
      local: versions.filter(isLocal),
    };
  });
  const config = sources.config();
  const resilienceOf = (service: string): DeclaredResilience => {
    const declared = Object.hasOwn(config.services, service) ? config.services[service] : undefined;
    return { requestTimeoutMs: declared?.timeouts?.request, retries: declared?.retries };
  };
  const backendName = input.backendName ?? DEFAULT_BACKEND_NAME;
  const port = input.port ?? DEFAULT_SERVICE_PORT;
  const exported = httpRoutes(services, { namespace: input.namespace, backendName, port, resilienceOf });
  return {
    yaml: httpRoutesYaml(exported, { meshdeskVersion: MESHDESK_VERSION, backendName, port }),
    services: exported.map((route) => route.service),
  };
}
