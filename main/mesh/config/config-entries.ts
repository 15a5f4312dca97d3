/**
 * Flattens a validated meshdesk.yaml into registry entries, each carrying the line it was written
 * on as its origin, with health checks and labels inherited service → version → instance (the
 * nearest one wins). Non-loopback hosts are allowed and come back as warnings.
 */
import { DEFAULT_VERSION, type HealthCheck, type InstanceConfig, type MeshConfig } from '../../../shared/config-schema.js';
import type { ConfigError } from '../../../shared/model.js';
import { nonLoopbackWarning } from '../registry/address.js';
import type { InstanceEntry } from '../registry/registry.js';
import type { KeyPath, PositionOf } from './parse-config.js';

interface VersionLike {
  instances: InstanceConfig[];
  labels?: Record<string, string> | undefined;
  healthCheck?: HealthCheck | undefined;
}

export function configEntries(config: MeshConfig, file: string, positionOf: PositionOf): { entries: InstanceEntry[]; warnings: ConfigError[] } {
  const entries: InstanceEntry[] = [];
  const warnings: ConfigError[] = [];
  for (const [service, serviceConfig] of Object.entries(config.services)) {
    const versions: [string, VersionLike, KeyPath][] = serviceConfig.versions
      ? Object.entries(serviceConfig.versions).map(([name, version]) => [name, version, ['services', service, 'versions', name, 'instances']])
      : [[DEFAULT_VERSION, { instances: serviceConfig.instances ?? [] }, ['services', service, 'instances']]];
    for (const [version, versionConfig, path] of versions) {
      versionConfig.instances.forEach((instance, index) => {
        const own = typeof instance === 'string' ? { address: instance } : instance;
        const at = positionOf([...path, index]);
        const healthCheck = own.healthCheck ?? versionConfig.healthCheck ?? serviceConfig.healthCheck;
        entries.push({
          service,
          version,
          address: own.address,
          origin: `${file}:${at.line}`,
          labels: { ...serviceConfig.labels, ...versionConfig.labels, ...own.labels },
          ...(own.weight !== undefined ? { weight: own.weight } : {}),
          ...(healthCheck ? { healthCheck } : {}),
        });
        const warning = nonLoopbackWarning(own.address);
        if (warning) warnings.push({ file, line: at.line, column: at.col, message: `${service}: ${warning}`, severity: 'warning' });
      });
    }
  }
  return { entries, warnings };
}
