/**
 * Each instance's health as `meshdesk status` prints it: the active check's verdict and the one
 * from traffic side by side, never merged, so that "no check" is never read as "down" and a
 * failing check is never hidden by successful traffic (or the other way round).
 */
import type { InstanceHealth, ServiceView, TrafficHealth } from '../../shared/model.js';
import { table } from './output.js';

/** One instance for `status --json`. */
export interface InstanceHealthRow {
  service: string;
  version: string;
  address: string;
  /** From the active check; `unknown` without one. */
  health: InstanceHealth;
  healthReason: string | null;
  healthCheck: string | null;
  /** From traffic; null from a mesh too old to say. */
  traffic: TrafficHealth | null;
}

export function instanceHealthRows(services: readonly ServiceView[]): InstanceHealthRow[] {
  return services.flatMap((service) =>
    service.versions.flatMap((version) =>
      version.instances.map((instance) => ({
        service: service.name,
        version: version.name,
        address: instance.address,
        health: instance.health,
        healthReason: instance.healthReason,
        healthCheck: instance.healthCheck,
        traffic: instance.traffic ?? null,
      })),
    ),
  );
}

/** A table of instances with their check and traffic health, for people. */
export function instanceHealthTable(rows: readonly InstanceHealthRow[]): string {
  return table(
    ['INSTANCE', 'ADDRESS', 'CHECK', 'TRAFFIC'],
    rows.map((row) => [`${row.service}@${row.version}`, row.address, checkText(row), trafficText(row.traffic)]),
  );
}

function checkText(row: InstanceHealthRow): string {
  if (row.healthCheck === null) return 'no check';
  return withReason(row.health, row.healthReason);
}

function trafficText(traffic: TrafficHealth | null): string {
  if (traffic === null) return '-';
  if (traffic.state === 'unknown' && traffic.reason === null) return withReason('unknown', 'no traffic yet');
  return withReason(traffic.state, traffic.reason);
}

/** `failing: connection refused`, or the state alone when there is no reason. */
function withReason(state: InstanceHealth, reason: string | null): string {
  return reason === null ? state : `${state}: ${reason}`;
}
