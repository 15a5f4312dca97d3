/**
 * The Diffs page (`#/diffs?service=world`): what shadow traffic found for one service. The rule and
 * its counts, then per endpoint the share of pairs that differ and the fields that did (noise apart),
 * then the pairs an endpoint or a field stands for, and one pair side by side. The service lives in
 * the address so the panel's "Open diffs" and a reload land here; the endpoint, field and pair
 * chosen are the page's own and start afresh with another service.
 */
import { useState } from 'react';
import { useMeshSnapshot } from '../use-mesh-state.js';
import { DiffEndpoints } from './diff-endpoints.js';
import { DiffPairView } from './diff-pair-view.js';
import { DiffPairs } from './diff-pairs.js';
import { DiffRule } from './diff-rule.js';
import { diffServiceChoices, exampleShadow, servicesToProbe, type PairSelection } from './diff-model.js';
import { DIFFS_SERVICE_PARAM, diffsHref } from './diffs-link.js';
import { useServicesWithKeptDiffs } from './use-diff-services.js';
import { useServiceDiffs } from './use-service-diffs.js';
import '../components/components.css';
import '../requests/requests.css';
import './shadow.css';
import './diffs.css';

export function DiffsPage({ params }: { params: URLSearchParams }) {
  const { shadows, routes } = useMeshSnapshot();
  const asked = params.get(DIFFS_SERVICE_PARAM);
  const kept = useServicesWithKeptDiffs(
    servicesToProbe(
      routes,
      (shadows ?? []).map((view) => view.service),
    ),
  );
  const choices = diffServiceChoices(shadows, [...kept, asked]);
  const service = asked ?? choices[0] ?? null;

  return (
    <section className="diffs-page" aria-labelledby="diffs-title" data-testid="diffs-page">
      <div className="diffs-heading">
        <h2 id="diffs-title">Diffs</h2>
        {choices.length > 0 && (
          <label className="diffs-service">
            <span>Service</span>
            <select value={service ?? ''} onChange={(event) => (window.location.hash = diffsHref(event.target.value))} data-testid="diffs-service">
              {choices.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {service === null ? <NoShadowTraffic example={exampleShadow(routes)} /> : <ServiceDiffsView key={service} service={service} />}
    </section>
  );
}

function NoShadowTraffic({ example }: { example: { service: string; version: string } }) {
  return (
    <div className="empty" data-testid="diffs-empty">
      <p>
        <strong>No shadow traffic yet.</strong> Turn on ‘Shadow {example.version}’ in a service’s panel on the Topology page, or run{' '}
        <code>
          meshdesk shadow start {example.service} --to {example.version}
        </code>
        .
      </p>
      <p className="muted small">
        The mesh then copies requests to the other version, compares its answers with the ones callers get (callers only ever see theirs), and lists here what
        differs, per endpoint and field.
      </p>
    </div>
  );
}

function ServiceDiffsView({ service }: { service: string }) {
  const { routes } = useMeshSnapshot();
  const { status, refresh } = useServiceDiffs(service);
  const [selection, setSelection] = useState<PairSelection | null>(null);
  const [openId, setOpenId] = useState<number | null>(null);
  const route = routes?.find((entry) => entry.service === service) ?? null;

  if (status.kind === 'loading') return <p className="muted">Loading {service}’s diffs…</p>;
  if (status.kind === 'error') {
    return (
      <p role="alert" className="error" data-testid="diffs-error">
        Could not load {service}’s diffs: {status.message}
      </p>
    );
  }
  if (status.kind === 'never') {
    const version = route ? exampleShadow([route]).version : 'v2';
    return (
      <div className="empty" data-testid="diffs-empty">
        <p>
          <strong>{service} has not been shadowed.</strong> Turn on ‘Shadow {version}’ in its panel on the Topology page, or run{' '}
          <code>
            meshdesk shadow start {service} --to {version}
          </code>
          .
        </p>
      </div>
    );
  }
  const { diffs } = status;
  const endpoint = selection && diffs.endpoints.find((entry) => entry.method === selection.method && entry.pattern === selection.pattern);
  return (
    <>
      <DiffRule
        diffs={diffs}
        route={route}
        onCleared={() => {
          setSelection(null);
          setOpenId(null);
          refresh();
        }}
      />
      {diffs.endpoints.length === 0 ? (
        <div className="empty" data-testid="diffs-waiting">
          <p>
            <strong>No pairs compared yet.</strong>{' '}
            {diffs.shadow
              ? `Send requests to ${service} through the proxy: each one routed to ${diffs.shadow.from ?? `a version other than ${diffs.shadow.to}`} is copied to ${diffs.shadow.to}, and both answers are compared here.`
              : `Shadowing ${service} is stopped. Turn it on again in its panel to compare answers.`}
          </p>
        </div>
      ) : (
        <DiffEndpoints
          endpoints={diffs.endpoints}
          selection={selection}
          onSelect={(next) => {
            setSelection(next);
            setOpenId(null);
          }}
        />
      )}
      {selection && endpoint && <DiffPairs service={service} selection={selection} revision={endpoint.pairs} openId={openId} onOpen={setOpenId} />}
      {openId !== null && <DiffPairView key={openId} id={openId} rule={diffs.shadow} onClose={() => setOpenId(null)} />}
    </>
  );
}
