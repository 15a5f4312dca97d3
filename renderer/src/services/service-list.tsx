import type { ServiceView } from '../../../shared/model.js';

export function ServiceList({ services }: { services: ServiceView[] }) {
  if (services.length === 0) {
    return (
      <section className="empty" data-testid="no-services">
        <h2>No services yet</h2>
        <p>
          Add them to a <code>meshdesk.yaml</code> in your workspace, or run <code>npm run demo</code> to see the
          hello-world mesh.
        </p>
      </section>
    );
  }
  return (
    <section aria-label="Services">
      <h2>Services</h2>
      <table className="services">
        <thead>
          <tr>
            <th scope="col">Service</th>
            <th scope="col">Version</th>
            <th scope="col">Instance</th>
            <th scope="col">Declared in</th>
          </tr>
        </thead>
        <tbody>
          {services.flatMap((service) =>
            service.versions.flatMap((version) =>
              version.instances.map((instance, index) => (
                <tr key={`${service.name}/${version.name}/${instance.address}`} data-testid={`service-row-${service.name}`}>
                  <td>{index === 0 && version === service.versions[0] ? service.name : ''}</td>
                  <td>{index === 0 ? version.name : ''}</td>
                  <td>
                    <code>{instance.address}</code>
                  </td>
                  <td>{instance.origin}</td>
                </tr>
              )),
            ),
          )}
        </tbody>
      </table>
    </section>
  );
}
