/**
 * The main view: the live topology with the panel of the selected service or edge. The graph model
 * is rebuilt from each pushed snapshot (at most once per animation frame, see mesh-state.ts); node
 * positions are kept across rebuilds; the selection lives in the URL (`#/topology?service=world`,
 * `#/topology?edge=hello->world@v1`) so a reload or a link lands on the same panel. The panels'
 * sparklines read the stats history MeshState keeps for the whole dashboard.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { hrefFor, useLocation } from '../navigation.js';
import { dragGuard } from '../settings/settings-model.js';
import { useSettings } from '../settings/use-settings.js';
import { useTheme } from '../theme.js';
import { useMesh, useMeshSnapshot } from '../use-mesh-state.js';
import { PALETTES } from './edge-style.js';
import { FirstRun } from './first-run.js';
import { useGuardNews } from './guard-notices.js';
import { downloadPng, downloadSvg, exportFileName } from './graph-export.js';
import { buildGraph, serviceNodeId, type ServiceNodeData } from './graph-model.js';
import { graphSvg } from './graph-svg.js';
import { BypassPanel } from './bypass-panel.js';
import { EdgePanel } from './edge-panel.js';
import { useMeshCommands } from './mesh-commands.js';
import { ServicePanel } from './service-panel.js';
import { useStablePositions } from './stable-positions.js';
import { TopologyGraph } from './topology-graph.js';
import { edgeFocus, serviceFocus } from './panel-focus.js';
import '../components/components.css';
import './topology.css';
import './mock-controls.css';

interface Notice {
  kind: 'info' | 'error';
  text: string;
  /** How long it stays (default NOTICE_MS). */
  ms?: number;
}

const NOTICE_MS = 5_000;
/** A guard's rollback happens while the user may look elsewhere: its reason stays longer. */
const ROLLBACK_NOTICE_MS = 20_000;

export function TopologyPage() {
  const { info, services, stats, routes, faults, bypasses, mocks } = useMeshSnapshot();
  const [settings] = useSettings();
  const { thresholds } = settings;
  const theme = useTheme();
  const commands = useMeshCommands();
  const location = useLocation();
  const { history } = useMesh().state;

  const graph = useMemo(
    () => buildGraph({ services, stats, routes, faults, thresholds, bypasses, mocks }),
    [services, stats, routes, faults, thresholds, bypasses, mocks],
  );
  const { positions, generation, relayouts, move, relayout } = useStablePositions(graph);
  const [notice, setNotice] = useState<Notice | null>(null);
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(null), notice.ms ?? NOTICE_MS);
    return () => clearTimeout(timer);
  }, [notice]);

  // The URL holds the selection; local state follows it at once, because the URL's hashchange
  // arrives a moment later (a keyboard user stepping through the picker must not be undone).
  const urlService = location.params.get('service');
  const [selectedName, setSelectedName] = useState(urlService);
  useEffect(() => setSelectedName(urlService), [urlService]);
  const selectedNode = selectedName ? graph.nodes.find((node) => node.id === serviceNodeId(selectedName)) : undefined;
  const selected = selectedNode?.data.kind === 'service' ? (selectedNode.data as ServiceNodeData) : null;
  const select = useCallback((nodeId: string | null) => {
    const name = nodeId?.startsWith('svc:') ? nodeId.slice(4) : null;
    setSelectedName(name);
    setSelectedEdgeId(null);
    window.location.hash = name ? hrefFor('topology', { service: name }) : hrefFor('topology');
  }, []);
  const urlEdge = location.params.get('edge');
  const [selectedEdgeId, setSelectedEdgeId] = useState(urlEdge);
  useEffect(() => setSelectedEdgeId(urlEdge), [urlEdge]);
  const selectedEdge = selected ? null : (graph.edges.find((edge) => edge.id === selectedEdgeId) ?? null);
  const selectedBypass = selected || selectedEdge ? null : (graph.bypasses?.find((edge) => edge.id === selectedEdgeId) ?? null);
  const focusedEdge = selectedEdge ?? selectedBypass;
  const panelFocus = selected ? serviceFocus(graph, serviceNodeId(selected.name)) : focusedEdge ? edgeFocus(focusedEdge) : null;
  const selectEdge = useCallback((id: string) => {
    setSelectedName(null);
    setSelectedEdgeId(id);
    window.location.hash = hrefFor('topology', { edge: id });
  }, []);

  const guard = useMemo(() => dragGuard(settings), [settings]);
  const reroute = useCallback(
    (service: string, version: string) => {
      setNotice({ kind: 'info', text: `Routing all of ${service} to ${version}…` });
      void commands
        .reroute(guard ? { service, version, origin: 'gui', guard } : { service, version, origin: 'gui' })
        .then((result) =>
          setNotice(
            result.ok
              ? { kind: 'info', text: `${service} now routes all traffic to ${version}.${guard ? ` The guard watches it for ${guard.forSeconds} s.` : ''}` }
              : { kind: 'error', text: `Reroute refused: ${result.message}` },
          ),
        );
    },
    [commands, guard],
  );
  const refused = useCallback((text: string) => setNotice({ kind: 'error', text }), []);
  // The edge snaps back by itself (the graph follows the routes); the notice says why.
  useGuardNews(
    routes,
    useCallback((text: string) => setNotice({ kind: 'error', text, ms: ROLLBACK_NOTICE_MS }), []),
  );

  const exportAs = async (format: 'svg' | 'png') => {
    const document_ = graphSvg(graph, positions, PALETTES[theme]);
    try {
      if (format === 'svg') downloadSvg(document_, exportFileName('svg'));
      else await downloadPng(document_, exportFileName('png'));
    } catch (error) {
      setNotice({ kind: 'error', text: `Export failed: ${error instanceof Error ? error.message : String(error)}` });
    }
  };

  if (services === null) {
    return (
      <section aria-label="Topology" data-testid="topology-page">
        <p className="muted">Waiting for the mesh…</p>
      </section>
    );
  }
  if (graph.nodes.length === 0) {
    return (
      <section aria-label="Topology" data-testid="topology-page">
        <FirstRun proxyUrl={info?.proxyUrl ?? null} />
      </section>
    );
  }
  const serviceNames = graph.nodes.flatMap((node) => (node.data.kind === 'service' ? [node.data.name] : []));
  return (
    <section aria-label="Topology" className="topology-page" data-testid="topology-page">
      <div className="topology-toolbar" role="toolbar" aria-label="Graph">
        <label>
          Service{' '}
          <select
            value={selected?.name ?? ''}
            onChange={(event) => select(event.target.value ? serviceNodeId(event.target.value) : null)}
            data-testid="service-picker"
          >
            <option value="">(none)</option>
            {serviceNames.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={relayout} data-testid="relayout">
          Re-layout
        </button>
        <button type="button" onClick={() => void exportAs('svg')} data-testid="export-svg">
          Export SVG
        </button>
        <button type="button" onClick={() => void exportAs('png')} data-testid="export-png">
          Export PNG
        </button>
        <span className="legend" aria-label="Edge colours">
          <span className="legend-item health-good">≥ {thresholds.warnBelow * 100}%</span>
          <span className="legend-item health-warn">&lt; {thresholds.warnBelow * 100}%</span>
          <span className="legend-item health-bad">&lt; {thresholds.errorBelow * 100}%</span>
          {(graph.bypasses?.length ?? 0) > 0 && (
            <span className="legend-item legend-bypass" title="A process calls the service straight, past the proxy: click the dashed edge for the fix">
              bypass
            </span>
          )}
        </span>
      </div>
      {notice && (
        <p role={notice.kind === 'error' ? 'alert' : 'status'} className={`topology-notice notice-${notice.kind}`} data-testid="topology-notice">
          {notice.text}
        </p>
      )}
      <div className={`topology-body${selected || selectedEdge || selectedBypass ? ' with-panel' : ''}`}>
        <TopologyGraph
          graph={graph}
          positions={positions}
          layout={{ generation, relayouts }}
          onMove={move}
          selected={selected ? serviceNodeId(selected.name) : null}
          focus={panelFocus}
          onSelect={select}
          onSelectEdge={selectEdge}
          onReroute={reroute}
          onRefused={refused}
          theme={theme}
        />
        {selected && <ServicePanel service={selected} graph={graph} history={history} commands={commands} onClose={() => select(null)} />}
        {selectedEdge && <EdgePanel edge={selectedEdge} history={history} onClose={() => select(null)} />}
        {selectedBypass && <BypassPanel edge={selectedBypass} onClose={() => select(null)} />}
      </div>
    </section>
  );
}
