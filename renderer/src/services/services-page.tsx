/**
 * The Services page: config errors first (with file, line and column, since the last good config
 * stays in force while they stand), then every instance with its origin, and a form to register,
 * edit and remove instances (with their version and health check) at runtime.
 */
import { useState } from 'react';
import { ConfigErrors } from '../config-errors.js';
import { KubernetesExport } from '../export/kubernetes-export.js';
import { useMeshSnapshot } from '../use-mesh-state.js';
import { EMPTY_INSTANCE_FORM, formFromInstance, type InstanceFormValues } from './instance-form.js';
import { InstanceFormView } from './instance-form-view.js';
import { useRegistrationCommands, type Original } from './registration-commands.js';
import { ServiceList } from './service-list.js';
import '../components/components.css';
import './services.css';

interface Editing {
  initial: InstanceFormValues;
  original: Original | null;
  currentCheck: string | null;
}

export function ServicesPage() {
  const { info, services } = useMeshSnapshot();
  const commands = useRegistrationCommands();
  const [editing, setEditing] = useState<Editing | null>(null);
  const [error, setError] = useState<string | null>(null);
  return (
    <section className="services-page" aria-labelledby="services-title" data-testid="services-page">
      {info && <ConfigErrors errors={info.configErrors} />}
      <div className="services-heading">
        <h2 id="services-title">Services</h2>
        <button
          type="button"
          onClick={() => setEditing({ initial: EMPTY_INSTANCE_FORM, original: null, currentCheck: null })}
          disabled={editing !== null}
          data-testid="register-instance"
        >
          Register an instance
        </button>
        <KubernetesExport service={null} />
      </div>
      {editing && (
        <InstanceFormView
          key={editing.original ? `${editing.original.service}/${editing.original.address}` : 'new'}
          initial={editing.initial}
          original={editing.original}
          currentCheck={editing.currentCheck}
          onSubmit={commands.register}
          onCancel={() => setEditing(null)}
        />
      )}
      {error && (
        <p role="alert" className="error" data-testid="services-error">
          {error}
        </p>
      )}
      {services ? (
        <ServiceList
          services={services}
          onEdit={({ service, version, instance }) =>
            setEditing({
              initial: formFromInstance(service, version, instance),
              original: { service, version, address: instance.address },
              currentCheck: instance.healthCheck,
            })
          }
          onRemove={({ service, version, instance }) => {
            setError(null);
            void commands.remove({ service, version, address: instance.address }).then((result) => setError(result.ok ? null : result.message));
          }}
        />
      ) : (
        <p className="muted">Waiting for the mesh…</p>
      )}
    </section>
  );
}
