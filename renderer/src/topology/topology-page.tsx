import { useMeshSnapshot } from '../use-mesh-state.js';

/** The topology graph (issue 7 fills this in). */
export function TopologyPage() {
  const { services } = useMeshSnapshot();
  return (
    <section aria-label="Topology" data-testid="topology-page">
      <h2>Topology</h2>
      <p>{services ? `${services.length} services` : 'Waiting for the mesh…'}</p>
    </section>
  );
}
