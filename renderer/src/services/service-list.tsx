/**
 * Every registered instance, one row each, grouped by service and version, with its health (from
 * its check, or from traffic: health-badge.tsx) and where it was declared. Instances registered from the GUI or the CLI can be edited and removed
 * here; the others say which file to change, since the file is their source of truth.
 */
import { useState } from 'react';
import type { InstanceView, ServiceView } from '../../../shared/model.js';
import { HealthBadge } from '../components/health-badge.js';
import { isRuntimeOrigin } from './instance-form.js';

export interface InstanceRef {
  service: string;
  version: string;
  instance: InstanceView;
}

export function ServiceList({
  services,
  onEdit,
  onRemove,
}: {
  services: ServiceView[];
  onEdit: (ref: InstanceRef) => void;
  onRemove: (ref: InstanceRef) => void;
}) {
  const [confirming, setConfirming] = useState<string | null>(null);
  if (services.length === 0) {
    return (
      <section className="empty" data-testid="no-services">
        <h2>No services yet</h2>
        <p>
          Register one with the form above, add them to a <code>meshdesk.yaml</code> in your workspace, or run <code>npx meshdesk demo</code> to see the
          hello-world mesh.
        </p>
      </section>
    );
  }
  return (
    <section aria-label="Services">
      <table className="services">
        <thead>
          <tr>
            <th scope="col">Service</th>
            <th scope="col">Version</th>
            <th scope="col">Instance</th>
            <th scope="col">Health</th>
            <th scope="col">Declared in</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {services.flatMap((service) =>
            service.versions.flatMap((version) =>
              version.instances.map((instance, index) => {
                const key = `${service.name}/${version.name}/${instance.address}`;
                const ref = { service: service.name, version: version.name, instance };
                const runtime = isRuntimeOrigin(instance.origin);
                return (
                  <tr key={key} data-testid={`service-row-${service.name}`} data-instance={instance.address}>
                    <td>{index === 0 && version === service.versions[0] ? service.name : ''}</td>
                    <td>{index === 0 ? version.name : ''}</td>
                    <td>
                      <code>{instance.address}</code>
                      {Object.keys(instance.labels).length > 0 && (
                        <div className="muted small">
                          {Object.entries(instance.labels)
                            .map(([name, value]) => `${name}=${value}`)
                            .join(' ')}
                        </div>
                      )}
                    </td>
                    <td>
                      <HealthBadge instance={instance} />
                    </td>
                    <td>
                      <span className={`origin origin-${runtime ? 'runtime' : 'file'}`} data-testid="instance-origin">
                        {instance.origin}
                      </span>
                    </td>
                    <td>
                      {runtime ? (
                        <div className="row-actions">
                          <button type="button" onClick={() => onEdit(ref)} aria-label={`Edit ${service.name} ${instance.address}`} data-testid="instance-edit">
                            Edit
                          </button>
                          {confirming === key ? (
                            <button
                              type="button"
                              className="danger"
                              onClick={() => {
                                setConfirming(null);
                                onRemove(ref);
                              }}
                              aria-label={`Confirm removing ${service.name} ${instance.address}`}
                              data-testid="instance-remove-confirm"
                            >
                              Remove?
                            </button>
                          ) : (
                            <button
                              type="button"
                              onClick={() => setConfirming(key)}
                              aria-label={`Remove ${service.name} ${instance.address}`}
                              data-testid="instance-remove"
                            >
                              Remove
                            </button>
                          )}
                        </div>
                      ) : (
                        <span className="muted small">edit {instance.origin.replace(/:\d+$/, '')}</span>
                      )}
                    </td>
                  </tr>
                );
              }),
            ),
          )}
        </tbody>
      </table>
    </section>
  );
}
