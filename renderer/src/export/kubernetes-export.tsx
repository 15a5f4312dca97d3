/**
 * "Export for Kubernetes": a button that opens a dialog with the routes in force as Gateway API
 * HTTPRoutes — one service's (the service panel) or the whole mesh's (the Services page) — to copy
 * or download. The mesh writes the YAML (the admin API's exportGatewayApi, the same text as
 * `meshdesk export gateway-api`); the dialog asks again whenever the pushed routes change, so
 * what it shows is always the mesh's current answer.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { DEFAULT_BACKEND_NAME, exportFileName } from '../../../shared/gateway-export.js';
import { CopyButton } from '../components/copy-button.js';
import { downloadText } from '../components/download-text.js';
import { useMesh, useMeshSnapshot } from '../use-mesh-state.js';
import './export.css';

/** The button and, once clicked, the dialog; `service` null exports every service. */
export function KubernetesExport({ service }: { service: string | null }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)} data-testid={service === null ? 'mesh-export-k8s' : 'panel-export-k8s'}>
        Export for Kubernetes
      </button>
      {open && <ExportDialog service={service} onClose={() => setOpen(false)} />}
    </>
  );
}

/** The service panel's section: what the export is, and its button. */
export function ServiceKubernetesExport({ service }: { service: string }) {
  return (
    <section className="panel-section" aria-label="Kubernetes">
      <h3>Kubernetes</h3>
      <p className="muted small">This route as a Gateway API HTTPRoute for a cluster’s service mesh.</p>
      <KubernetesExport service={service} />
    </section>
  );
}

function ExportDialog({ service, onClose }: { service: string | null; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const { client } = useMesh();
  const { routes } = useMeshSnapshot();
  const [namespace, setNamespace] = useState('');
  const [yaml, setYaml] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    // Modal: focus moves in, the page behind is inert, Escape closes (the 'close' event).
    dialog.current?.showModal();
  }, []);
  useEffect(() => {
    let current = true;
    const input = { ...(service === null ? {} : { service }), ...(namespace === '' ? {} : { namespace }) };
    client.call('exportGatewayApi', input).then(
      (exported) => {
        if (!current) return;
        setYaml(exported.yaml);
        setError(null);
      },
      (failure: unknown) => {
        if (current) setError(failure instanceof Error ? failure.message : String(failure));
      },
    );
    return () => {
      current = false;
    };
    // `routes`: a route changed in the mesh, so its export did too.
  }, [client, service, namespace, routes]);
  const fileName = exportFileName(service);
  return (
    <dialog ref={dialog} className="k8s-export" aria-labelledby={titleId} onClose={onClose} data-testid="k8s-export-dialog">
      <header className="k8s-export-header">
        <h2 id={titleId}>Export for Kubernetes{service === null ? '' : `: ${service}`}</h2>
        <button type="button" onClick={() => dialog.current?.close()} aria-label="Close the export" data-testid="k8s-export-close">
          ×
        </button>
      </header>
      <p className="muted small">
        Gateway API HTTPRoutes for a service mesh (GAMMA, as Linkerd and Istio read them): each attaches to its Service, and each version is a Service of its
        own, named <code>{DEFAULT_BACKEND_NAME}</code>. Apply with <code>kubectl apply -f {fileName}</code>.
      </p>
      <label className="field k8s-export-namespace">
        Namespace
        <input
          type="text"
          value={namespace}
          placeholder="kubectl’s current"
          onChange={(event) => setNamespace(event.target.value.trim())}
          aria-invalid={error !== null && namespace !== ''}
          data-testid="k8s-export-namespace"
        />
      </label>
      {error && (
        <p role="alert" className="error small" data-testid="k8s-export-error">
          {error}
        </p>
      )}
      <pre className="k8s-export-yaml" tabIndex={0} aria-label="HTTPRoute YAML" data-testid="k8s-export-yaml">
        {yaml ?? 'Asking the mesh…'}
      </pre>
      <div className="button-row">
        <CopyButton text={yaml ?? ''} label="Copy the YAML" testId="k8s-export-copy" />
        <button
          type="button"
          disabled={yaml === null}
          onClick={() => yaml !== null && downloadText(fileName, yaml, 'application/yaml')}
          data-testid="k8s-export-download"
        >
          Download
        </button>
        <span className="muted small">{fileName}</span>
      </div>
    </dialog>
  );
}
