/** The routes meshdesk.yaml declares, in the route table's shape. */
import type { MeshConfig } from '../../../shared/config-schema.js';
import type { Route } from '../../../shared/routes.js';

export function configRoutes(config: MeshConfig): Map<string, Route> {
  const routes = new Map<string, Route>();
  for (const [service, serviceConfig] of Object.entries(config.services)) {
    const route = serviceConfig.route;
    if (!route) continue;
    routes.set(service, {
      ...(route.alias ? { alias: route.alias } : {}),
      ...(route.weights ? { weights: route.weights } : {}),
      headerRules: (route.headers ?? []).map((rule) => ({ header: rule.header.toLowerCase(), value: rule.value, version: rule.version })),
    });
  }
  return routes;
}
