/**
 * The meshdesk.yaml of the real-mode graph benchmark: the generated mesh's services, versions and
 * instances, each instance at the real port an upstream server got (the generated ports are
 * placeholders), and the same 90/10 canary routes the synthetic feed shows, so both modes draw the
 * same graph. `reject` mode: a request for a host that is not a service must fail loudly, never
 * leave loopback.
 */
import { stringify } from 'yaml';
import type { SyntheticMesh } from './synthetic-mesh.js';

export function instanceCount(mesh: SyntheticMesh): number {
  return mesh.services.reduce((sum, service) => sum + service.versions.reduce((versions, version) => versions + version.instances.length, 0), 0);
}

/** `ports` in the order of instanceCount: services, then versions, then instances. */
export function meshConfig(mesh: SyntheticMesh, ports: readonly number[]): string {
  let next = 0;
  const services: Record<string, unknown> = {};
  for (const service of mesh.services) {
    const versions: Record<string, { instances: string[] }> = {};
    for (const version of service.versions) {
      versions[version.name] = {
        instances: version.instances.map(() => {
          const port = ports[next++];
          if (port === undefined) throw new Error('fewer upstream ports than instances');
          return `127.0.0.1:${port}`;
        }),
      };
    }
    const weights = mesh.routes.find((route) => route.service === service.name)?.route?.weights;
    services[service.name] = weights ? { versions, route: { weights } } : { versions };
  }
  return `# Written by bench/graph (real mode) for one run; deleted with its temporary folder.\n${stringify({ proxy: { mode: 'reject' }, services })}`;
}
