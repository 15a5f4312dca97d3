/**
 * The `ports:` entries of a docker-compose service, short syntax (`"127.0.0.1:8080:80/tcp"`) and
 * long syntax (`{ target: 80, published: 8080, host_ip: 127.0.0.1 }`), reduced to what the mesh
 * needs: the host address and port where the container can be reached from this machine. A port
 * published on all interfaces (no host IP, 0.0.0.0 or ::) is reached on 127.0.0.1.
 */
export type PublishedPort =
  { kind: 'published'; host: string; port: number; protocol: string } | { kind: 'unpublished'; reason: string } | { kind: 'invalid'; reason: string };

const SHORT = /^(?:(\[[^\]]+\]|[^:[\]]*):)??(?:(\d+(?:-\d+)?)?:)?(\d+(?:-\d+)?)(?:\/(\w+))?$/;

export function parsePortSpec(spec: unknown): PublishedPort {
  if (typeof spec === 'number') return unpublished(String(spec));
  if (typeof spec === 'string') return parseShort(spec.trim());
  if (typeof spec === 'object' && spec !== null) return parseLong(spec as Record<string, unknown>);
  return { kind: 'invalid', reason: `"${String(spec)}" is not a port mapping` };
}

function parseShort(spec: string): PublishedPort {
  const match = SHORT.exec(spec);
  if (!match) return { kind: 'invalid', reason: `"${spec}" is not a port mapping such as 8080:80 or 127.0.0.1:8080:80` };
  const [, hostIp, hostPorts, containerPorts, protocol] = match;
  if (hostPorts === undefined) return unpublished(containerPorts ?? spec);
  return published(hostIp?.replace(/^\[|\]$/g, '') ?? '', hostPorts, protocol ?? 'tcp');
}

function parseLong(spec: Record<string, unknown>): PublishedPort {
  const { published: port, host_ip: hostIp, protocol, target } = spec;
  if (port === undefined || port === null || port === '') return unpublished(String(target ?? '?'));
  if (typeof port !== 'number' && typeof port !== 'string') return { kind: 'invalid', reason: 'published must be a port number' };
  return published(typeof hostIp === 'string' ? hostIp : '', String(port), typeof protocol === 'string' ? protocol : 'tcp');
}

function published(hostIp: string, ports: string, protocol: string): PublishedPort {
  // A range publishes several ports; the first is the instance, as a service has one HTTP port.
  const port = Number(ports.split('-')[0]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return { kind: 'invalid', reason: `host port ${ports} is not between 1 and 65535` };
  const anyInterface = hostIp === '' || hostIp === '0.0.0.0' || hostIp === '::';
  return { kind: 'published', host: anyInterface ? '127.0.0.1' : hostIp, port, protocol: protocol.toLowerCase() };
}

function unpublished(containerPort: string): PublishedPort {
  return { kind: 'unpublished', reason: `container port ${containerPort} gets a random host port; give it one (e.g. "8080:${containerPort}") to import it` };
}
