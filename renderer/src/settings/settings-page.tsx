/**
 * Settings: where the mesh listens (ports are chosen when it starts: `--proxy-port`,
 * `--admin-port`), the export line with copy, the loaded demo (to unload it), and this dashboard's own preferences — theme,
 * health thresholds and the drag's guard — which persist in the browser (use-settings.ts), not in the mesh.
 */
import { useState, type FormEvent } from 'react';
import { ExportLine } from '../export-line.js';
import { useTheme } from '../theme.js';
import { useMeshSnapshot } from '../use-mesh-state.js';
import { DemoSettings } from './demo-settings.js';
import { GuardSettings } from './guard-settings.js';
import { DEFAULT_THRESHOLDS, thresholdsFromPercent, type ThemeChoice } from './settings-model.js';
import { useSettings } from './use-settings.js';
import '../components/components.css';
import './settings.css';

const THEMES: { value: ThemeChoice; label: string }[] = [
  { value: 'system', label: 'Follow the system' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

export function SettingsPage() {
  const resolved = useTheme();
  const { info } = useMeshSnapshot();
  const [settings, update] = useSettings();
  return (
    <section aria-labelledby="settings-title" className="settings-page" data-testid="settings-page">
      <h2 id="settings-title">Settings</h2>
      {info && <ExportLine proxyUrl={info.proxyUrl} />}
      {info && (
        <section aria-labelledby="settings-ports">
          <h3 id="settings-ports">Ports</h3>
          <dl className="settings-list">
            <dt>Proxy</dt>
            <dd data-testid="settings-proxy">
              {info.proxyUrl} <span className="muted small">(port {portOf(info.proxyUrl)})</span>
            </dd>
            <dt>Admin API and dashboard</dt>
            <dd data-testid="settings-admin">
              {info.adminUrl} <span className="muted small">(port {portOf(info.adminUrl)})</span>
            </dd>
            <dt>Config file</dt>
            <dd>{info.configFile ?? '(none)'}</dd>
          </dl>
          <p className="muted small">
            Ports are chosen when the mesh starts: <code>meshdesk serve --proxy-port 4140 --admin-port 9990</code>.
          </p>
        </section>
      )}
      {info?.demoLoaded && <DemoSettings />}
      <fieldset className="settings-group">
        <legend>Theme</legend>
        {THEMES.map((theme) => (
          <label key={theme.value} className="radio">
            <input
              type="radio"
              name="theme"
              value={theme.value}
              checked={settings.theme === theme.value}
              onChange={() => update({ theme: theme.value })}
              data-testid={`theme-${theme.value}`}
            />
            {theme.label}
          </label>
        ))}
        <p className="muted small" data-testid="theme-in-force">
          In force: {resolved}
        </p>
      </fieldset>
      <ThresholdsForm
        key={`${settings.thresholds.warnBelow}/${settings.thresholds.errorBelow}`}
        warn={settings.thresholds.warnBelow}
        error={settings.thresholds.errorBelow}
        onSave={(thresholds) => update({ thresholds })}
      />
      <GuardSettings value={settings.guardDrags} onSave={(guardDrags) => update({ guardDrags })} />
    </section>
  );
}

function ThresholdsForm({ warn, error, onSave }: { warn: number; error: number; onSave: (thresholds: { warnBelow: number; errorBelow: number }) => void }) {
  const [values, setValues] = useState({ warn: percent(warn), error: percent(error) });
  const [problem, setProblem] = useState<{ field: 'warn' | 'error'; message: string } | null>(null);
  const [saved, setSaved] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const result = thresholdsFromPercent(values.warn, values.error);
    if (!result.ok) return setProblem({ field: result.field, message: result.message });
    setProblem(null);
    setSaved(true);
    onSave(result.thresholds);
  };
  const input = (field: 'warn' | 'error', label: string) => (
    <label className="field">
      <span>{label}</span>
      <input
        type="number"
        min={0}
        max={100}
        step={0.1}
        value={values[field]}
        onChange={(event) => {
          setSaved(false);
          setValues({ ...values, [field]: event.target.value });
        }}
        aria-invalid={problem?.field === field ? true : undefined}
        aria-describedby={problem?.field === field ? 'threshold-error' : undefined}
        data-testid={`threshold-${field}`}
      />
    </label>
  );
  return (
    <form className="settings-group" onSubmit={submit} noValidate aria-labelledby="thresholds-title">
      <h3 id="thresholds-title">Health thresholds</h3>
      <p className="muted small">Edges and services are coloured by their success rate over the stats window.</p>
      <div className="threshold-row">
        {input('warn', 'Amber below (%)')}
        {input('error', 'Red below (%)')}
      </div>
      {problem && (
        <p id="threshold-error" role="alert" className="error small">
          {problem.message}
        </p>
      )}
      <div className="button-row">
        <button type="submit" data-testid="thresholds-save">
          Save thresholds
        </button>
        <button
          type="button"
          onClick={() => {
            setValues({ warn: percent(DEFAULT_THRESHOLDS.warnBelow), error: percent(DEFAULT_THRESHOLDS.errorBelow) });
            onSave({ ...DEFAULT_THRESHOLDS });
          }}
        >
          Defaults (99% / 95%)
        </button>
        <span role="status" className="muted small">
          {saved ? 'Saved' : ''}
        </span>
      </div>
    </form>
  );
}

function percent(share: number): string {
  return String(Math.round(share * 1000) / 10);
}

function portOf(url: string): string {
  try {
    return new URL(url).port || '80';
  } catch {
    return '?';
  }
}
