/**
 * The service panel's shadow section: a "Shadow <version>" switch for each version but the one
 * taking most traffic (the answers compared with are that one's). On, the mesh copies the requests
 * routed to the other versions to this one, compares each pair and learns noise; the caller only
 * ever gets the first answer. One rule per service: turning on another version's switch replaces
 * the rule. The line under the switches is the mesh's pushed counts (at most once a second), with
 * a link to the Diffs page; each switch is one admin call whose answer replaces the dashboard's
 * copy of the rules at once.
 */
import { Fragment, useState } from 'react';
import type { ServiceRoute } from '../../../shared/routes.js';
import type { ShadowView } from '../../../shared/shadow.js';
import { runCommand } from '../components/command-result.js';
import { diffsHref } from '../diffs/diffs-link.js';
import { describeShadow, shadowCountParts, shadowTargets } from '../diffs/shadow-summary.js';
import { useMesh, useMeshSnapshot } from '../use-mesh-state.js';
import '../diffs/shadow.css';
import './shadow-controls.css';

export function ShadowControls({ service, route }: { service: string; route: ServiceRoute | null }) {
  const { client, state } = useMesh();
  const { shadows } = useMeshSnapshot();
  const rule = shadows?.find((entry) => entry.service === service) ?? null;
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (!route || route.versions.length < 2) return null;
  // A rule started elsewhere (config, CLI) may name any version: its switch is there to turn it off.
  const targets = [...new Set([...shadowTargets(route), ...(rule ? [rule.to] : [])])];

  const replaced = (view: ShadowView | null) => {
    const others = (state.current.shadows ?? []).filter((entry) => entry.service !== service);
    state.update({ shadows: view === null ? others : [...others, view] });
  };
  const toggle = async (version: string, on: boolean) => {
    setBusy(on ? `Starting to copy requests to ${version}…` : 'Stopping…');
    setError(null);
    const result = await runCommand(async () => {
      if (on) replaced(await client.call('startShadow', { service, to: version, origin: 'gui' }));
      else state.update({ shadows: await client.call('stopShadow', { service }) });
    });
    setBusy(null);
    if (!result.ok) setError(result.message);
  };

  return (
    <section className="panel-section shadow-controls" aria-label="Shadow traffic" data-testid="shadow-controls">
      <h3>Shadow traffic</h3>
      {rule === null && (
        <p className="muted small">
          Copy {service}’s requests to another version and compare its answers with the ones callers get. Callers only ever see the first answer.
        </p>
      )}
      <div className="shadow-switches">
        {targets.map((version) => {
          const on = rule?.to === version;
          return (
            <button
              key={version}
              type="button"
              role="switch"
              aria-checked={on}
              className="switch"
              disabled={busy !== null}
              onClick={() => void toggle(version, !on)}
              data-testid={`shadow-switch-${version}`}
            >
              <span className="switch-track" aria-hidden="true" />
              Shadow {version}
            </button>
          );
        })}
      </div>
      {rule !== null && (
        <>
          <p className="small shadow-summary" data-testid="shadow-summary">
            {describeShadow(rule, route)} ·{' '}
            <span className="shadow-counts" data-testid="shadow-counts">
              {shadowCountParts(rule).map((part, index) => (
                <Fragment key={part}>
                  {index > 0 && ' · '}
                  <span className="shadow-count">{part}</span>
                </Fragment>
              ))}
            </span>{' '}
            ·{' '}
            <a href={diffsHref(service)} data-testid="open-diffs">
              Open diffs
            </a>
          </p>
          {rule.warning !== null && (
            <p className="shadow-warning small" data-testid="shadow-warning">
              <span className="badge badge-warn">side effects</span> {rule.warning}
            </p>
          )}
        </>
      )}
      <p role="status" className="muted small">
        {busy ?? ''}
      </p>
      {error !== null && (
        <p role="alert" className="error small" data-testid="shadow-error">
          {error}
        </p>
      )}
    </section>
  );
}
