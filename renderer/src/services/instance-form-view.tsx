/** The register/edit form: every field labelled, errors next to their field in the schema's words. */
import { useState, type FormEvent, type ReactNode } from 'react';
import { registrationFromForm, type InstanceFormErrors, type InstanceFormField, type InstanceFormValues } from './instance-form.js';
import type { CommandResult, Original } from './registration-commands.js';
import type { RegistrationInput } from '../../../shared/model.js';

export function InstanceFormView({
  initial,
  original,
  currentCheck,
  onSubmit,
  onCancel,
}: {
  initial: InstanceFormValues;
  /** The instance being edited; null to register a new one. */
  original: Original | null;
  /** The edited instance's health check, described: shown when a mesh too old to send it whole left the form without it. */
  currentCheck: string | null;
  onSubmit: (input: RegistrationInput, original: Original | null) => Promise<CommandResult>;
  onCancel: () => void;
}) {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<InstanceFormErrors>({});
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<InstanceFormValues>) => setValues((previous) => ({ ...previous, ...patch }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = registrationFromForm(values);
    if (!result.ok) return setErrors(result.errors);
    setBusy(true);
    const answer = await onSubmit(result.input, original);
    setBusy(false);
    if (answer.ok) onCancel();
    else setErrors({ form: answer.message });
  };

  const text = (name: InstanceFormField, label: string, hint?: string, extra: Record<string, string> = {}): ReactNode => (
    <label className="field">
      <span>{label}</span>
      <input
        type="text"
        name={name}
        value={values[name]}
        onChange={(event) => set({ [name]: event.target.value })}
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={`instance-${name}-note`}
        data-testid={`instance-${name}`}
        {...extra}
      />
      <span
        id={`instance-${name}-note`}
        className={errors[name] ? 'error small' : 'muted small'}
        data-testid={errors[name] ? `instance-${name}-error` : undefined}
      >
        {errors[name] ?? hint ?? ''}
      </span>
    </label>
  );

  return (
    <form
      className="instance-form"
      onSubmit={(event) => void submit(event)}
      noValidate
      aria-label={original ? `Edit ${original.service} ${original.address}` : 'Register an instance'}
      data-testid="instance-form"
    >
      <h3>{original ? `Edit ${original.service} ${original.address}` : 'Register an instance'}</h3>
      <div className="form-grid">
        {text('service', 'Service', 'the host name callers use: a-z, 0-9, -', { autoComplete: 'off' })}
        {text('version', 'Version', 'empty: "default"', { autoComplete: 'off' })}
        {text('address', 'Address', 'host:port, e.g. 127.0.0.1:7002', { autoComplete: 'off' })}
        <label className="field">
          <span>Labels</span>
          <textarea
            name="labels"
            rows={2}
            value={values.labels}
            onChange={(event) => set({ labels: event.target.value })}
            aria-invalid={errors.labels ? true : undefined}
            aria-describedby="instance-labels-note"
            data-testid="instance-labels"
          />
          <span id="instance-labels-note" className={errors.labels ? 'error small' : 'muted small'}>
            {errors.labels ?? 'one key=value per line'}
          </span>
        </label>
      </div>
      <fieldset className="form-grid">
        <legend>Health check</legend>
        {currentCheck && initial.check === 'none' && <p className="muted small full">Now: {currentCheck}. Saving replaces it with the check set here.</p>}
        <label className="field">
          <span>Type</span>
          <select value={values.check} onChange={(event) => set({ check: event.target.value as InstanceFormValues['check'] })} data-testid="instance-check">
            <option value="none">none</option>
            <option value="http">HTTP GET</option>
            <option value="tcp">TCP connect</option>
            <option value="grpc">gRPC health</option>
          </select>
        </label>
        {values.check === 'http' && text('checkPath', 'Path', 'starts with /')}
        {values.check === 'http' && text('checkExpect', 'Expected status', 'a code (204) or a class (2xx)')}
        {values.check === 'grpc' && text('checkService', 'gRPC service', 'empty: the whole server')}
        {values.check !== 'none' && text('checkInterval', 'Every', 'e.g. 10s, 500ms')}
      </fieldset>
      {errors.form && (
        <p role="alert" className="error" data-testid="instance-form-error">
          {errors.form}
        </p>
      )}
      <div className="button-row">
        <button type="submit" disabled={busy} data-testid="instance-submit">
          {original ? 'Save' : 'Register'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
