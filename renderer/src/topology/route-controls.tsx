/**
 * Routing a service from the panel: "Route all to vN", a slider per version for a canary split,
 * rollback, the guard of the last change (guard-status.tsx), and the history of changes. "Guard"
 * makes the next change from the panel a guarded one, watched for as long as Settings says. Slider moves are kept as a draft and sent as one reroute
 * once the user pauses (a drag or a run of arrow keys is one change, not fifty); the draft is
 * dropped as soon as the mesh's answer arrives, so what stays on screen is the mesh's route.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { RouteGuardInput, ServiceRoute } from '../../../shared/routes.js';
import { formatAge } from '../components/format.js';
import { useSettings } from '../settings/use-settings.js';
import { GuardStatus } from './guard-status.js';
import type { CommandResult, MeshCommands } from './mesh-commands.js';
import { describeRoute, moveSlider, soleVersion, splitOf, type Split } from './route-split.js';

const SETTLE_MS = 400;

export function RouteControls({ route, commands, now }: { route: ServiceRoute | null; commands: MeshCommands; now: number }) {
  const [draft, setDraft] = useState<Split | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [guarded, setGuarded] = useState(false);
  const [{ guardDrags }] = useSettings();
  // Read when a change is sent, so ticking the box does not restart a pending split's timer.
  const guardRef = useRef<{ guard?: RouteGuardInput }>({});
  guardRef.current = guarded ? { guard: { forSeconds: guardDrags.forSeconds } } : {};

  const send = useCallback(async (what: string, command: () => Promise<CommandResult>): Promise<void> => {
    setBusy(what);
    setError(null);
    const result = await command();
    setBusy(null);
    if (!result.ok) setError(result.message);
  }, []);

  const service = route?.service ?? null;
  useEffect(() => {
    if (!draft || !service) return;
    const timer = setTimeout(() => {
      void send('Applying the split…', () => commands.reroute({ service, weights: draft, origin: 'gui', ...guardRef.current })).then(() => setDraft(null));
    }, SETTLE_MS);
    return () => clearTimeout(timer);
  }, [draft, service, commands, send]);

  if (!route || !service) {
    return (
      <section className="panel-section" aria-label="Routing">
        <h3>Routing</h3>
        <p className="muted">The mesh has not reported this service's route yet.</p>
      </section>
    );
  }
  const split = draft ?? splitOf(route);
  const sole = draft ? null : soleVersion(split);
  return (
    <section className="panel-section" aria-label="Routing" data-testid="route-controls">
      <h3>Routing</h3>
      <p>
        In force: <strong data-testid="route-in-force">{describeRoute(route.route, route.versions)}</strong>
      </p>
      {route.guard && <GuardStatus guard={route.guard} now={now} />}
      {route.versions.length > 1 && (
        <>
          <div className="button-row">
            {route.versions.map((version) => (
              <button
                key={version}
                type="button"
                disabled={busy !== null || sole === version}
                onClick={() => void send(`Routing all to ${version}…`, () => commands.reroute({ service, version, origin: 'gui', ...guardRef.current }))}
                data-testid={`route-all-${version}`}
              >
                Route all to {version}
              </button>
            ))}
            <label className="guard-toggle" title={`Watch the change for ${guardDrags.forSeconds} s and roll it back if the new version does worse`}>
              <input type="checkbox" checked={guarded} onChange={(event) => setGuarded(event.target.checked)} data-testid="guard-next-change" />
              Guard
            </label>
          </div>
          <fieldset className="weights">
            <legend>Split (canary)</legend>
            {route.versions.map((version) => (
              <div key={version} className="weight-row">
                <label htmlFor={`weight-${service}-${version}`}>{version}</label>
                <input
                  id={`weight-${service}-${version}`}
                  type="range"
                  min={0}
                  max={100}
                  step={1}
                  value={split[version] ?? 0}
                  onChange={(event) => setDraft(moveSlider(split, version, Number(event.target.value)))}
                  aria-valuetext={`${split[version] ?? 0}% of ${service}'s traffic to ${version}`}
                  data-testid={`weight-${version}`}
                />
                <output htmlFor={`weight-${service}-${version}`} data-testid={`weight-value-${version}`}>
                  {split[version] ?? 0}%
                </output>
              </div>
            ))}
          </fieldset>
        </>
      )}
      <div className="button-row">
        <button
          type="button"
          disabled={busy !== null || route.history.length === 0}
          onClick={() => void send('Rolling back…', () => commands.rollback(service))}
          data-testid="rollback"
          title={route.history.length === 0 ? 'No change to roll back' : 'Restore the route in force before the last change'}
        >
          Roll back
        </button>
        <span role="status" className="muted">
          {busy ?? (draft ? 'Split changed; applying when you stop…' : '')}
        </span>
      </div>
      {error && (
        <p role="alert" className="error" data-testid="route-error">
          {error}
        </p>
      )}
      <h4>History</h4>
      {route.history.length === 0 ? (
        <p className="muted">No changes since the mesh started.</p>
      ) : (
        <ol className="route-history" data-testid="route-history">
          {route.history.slice(0, 12).map((change, index) => (
            <li key={`${change.at}-${index}`}>
              <time dateTime={change.at} title={change.at}>
                {formatAge(Date.parse(change.at), now)}
              </time>{' '}
              <span className="badge">{change.origin}</span> {describeRoute(change.before, route.versions)} →{' '}
              <strong>{describeRoute(change.after, route.versions)}</strong>
              {change.reason && <span className="reason">{change.reason}</span>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
