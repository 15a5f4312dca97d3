/**
 * The side panel for a selected service: golden metrics with sparklines and the retry budget,
 * routing (route all, split, rollback, history), shadow traffic to another version
 * (shadow-controls.tsx) and the routes' export for Kubernetes, versions and instances with health
 * (each opens its own golden metrics), its mock (mock-controls.tsx), and faults. Everything shown
 * is the mesh's pushed state; every button is one admin call through useMeshCommands.
 */
import { ServiceKubernetesExport } from '../export/kubernetes-export.js';
import { useMeshSnapshot } from '../use-mesh-state.js';
import { FaultControls } from './fault-controls.js';
import { GoldenMetrics } from './golden-metrics.js';
import type { GraphModel, ServiceNodeData } from './graph-model.js';
import { InstanceHealth } from './instance-health.js';
import { MockControls } from './mock-controls.js';
import { requestsHrefForService } from './requests-link.js';
import { RetryBudgetLine } from './retry-budget-line.js';
import type { MeshCommands } from './mesh-commands.js';
import { RouteControls } from './route-controls.js';
import { ShadowControls } from './shadow-controls.js';
import { historyKey, type StatsHistory } from './stats-history.js';

export function ServicePanel({
  service,
  graph,
  history,
  commands,
  onClose,
}: {
  service: ServiceNodeData;
  graph: GraphModel;
  history: StatsHistory;
  commands: MeshCommands;
  onClose: () => void;
}) {
  const { services, stats, routes, faults, instanceEvents } = useMeshSnapshot();
  const name = service.name;
  const serviceStats = stats?.services.find((entry) => entry.service === name)?.stats ?? null;
  const route = routes?.find((entry) => entry.service === name) ?? null;
  const callers = [...new Set(graph.edges.filter((edge) => edge.service === name).map((edge) => edge.caller))].sort();
  return (
    <aside className="service-panel" aria-label={`Service ${name}`} data-testid="service-panel">
      <header className="panel-header">
        <h2>{name}</h2>
        <a href={requestsHrefForService(name)} data-testid="panel-requests-link">
          Requests
        </a>
        <button type="button" onClick={onClose} aria-label="Close the panel" data-testid="panel-close">
          ×
        </button>
      </header>
      {!service.registered && <p className="muted">Not registered any more; shown while its recent traffic is in the window.</p>}
      <section className="panel-section" aria-label="Golden metrics">
        <h3>Golden metrics</h3>
        <GoldenMetrics stats={serviceStats} samples={history.samples(historyKey.service(name))} testId="panel-metrics" />
        <RetryBudgetLine budget={stats?.retryBudgets?.find((entry) => entry.service === name) ?? null} />
        {callers.length > 0 && <p className="muted small">Called by {callers.join(', ')}.</p>}
      </section>
      <RouteControls key={name} route={route} commands={commands} now={stats?.at ?? Date.now()} />
      <ShadowControls key={`shadow-${name}`} service={name} route={route} />
      <ServiceKubernetesExport service={name} />
      <InstanceHealth
        service={name}
        versions={service.versions}
        view={services?.find((entry) => entry.name === name) ?? null}
        stats={stats}
        history={history}
        instanceEvents={instanceEvents}
      />
      <MockControls key={`mock-${name}`} service={name} />
      <FaultControls key={`faults-${name}`} service={name} faults={faults} callers={callers} commands={commands} />
    </aside>
  );
}
