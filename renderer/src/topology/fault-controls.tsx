/** Faults on and off for one service: the faults in force, and a form validated by the contract's schema. */
import { useState, type FormEvent } from 'react';
import type { Fault } from '../../../shared/routes.js';
import { describeFault, EMPTY_FAULT_FORM, faultFromForm, type FaultFormErrors, type FaultFormValues } from './fault-form.js';
import type { MeshCommands } from './mesh-commands.js';

export function FaultControls({
  service,
  faults,
  callers,
  commands,
}: {
  service: string;
  faults: readonly Fault[] | null;
  callers: readonly string[];
  commands: MeshCommands;
}) {
  const [values, setValues] = useState<FaultFormValues>(EMPTY_FAULT_FORM);
  const [errors, setErrors] = useState<FaultFormErrors>({});
  const [busy, setBusy] = useState(false);
  const mine = (faults ?? []).filter((fault) => fault.service === service);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = faultFromForm(service, values);
    if (!result.ok) return setErrors(result.errors);
    setBusy(true);
    const answer = await commands.setFault(result.fault);
    setBusy(false);
    setErrors(answer.ok ? {} : { form: answer.message });
  };
  const clear = async (caller: string | undefined) => {
    setBusy(true);
    const answer = await commands.clearFault(service, caller);
    setBusy(false);
    if (!answer.ok) setErrors({ form: answer.message });
  };
  const field = (name: keyof FaultFormValues, label: string, props: Record<string, string> = {}) => (
    <label className="field">
      <span>{label}</span>
      <input
        value={values[name]}
        onChange={(event) => setValues({ ...values, [name]: event.target.value })}
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={errors[name] ? `fault-${name}-error` : undefined}
        data-testid={`fault-${name}`}
        {...props}
      />
      {errors[name] && (
        <span id={`fault-${name}-error`} className="error small">
          {errors[name]}
        </span>
      )}
    </label>
  );

  return (
    <section className="panel-section" aria-label="Faults" data-testid="fault-controls">
      <h3>Faults</h3>
      {faults === null && <p className="muted">The mesh has not reported faults yet.</p>}
      {mine.length > 0 ? (
        <ul className="fault-list">
          {mine.map((fault) => (
            <li key={fault.caller ?? '*'} data-testid="fault-item">
              {describeFault(fault)}{' '}
              <button type="button" disabled={busy} onClick={() => void clear(fault.caller)} aria-label={`Turn off the fault ${describeFault(fault)}`}>
                Turn off
              </button>
            </li>
          ))}
        </ul>
      ) : (
        faults !== null && <p className="muted">No fault injected.</p>
      )}
      <form className="fault-form" onSubmit={(event) => void submit(event)} noValidate>
        <label className="field">
          <span>From caller</span>
          <select value={values.caller} onChange={(event) => setValues({ ...values, caller: event.target.value })} data-testid="fault-caller">
            <option value="">every caller</option>
            {callers.map((caller) => (
              <option key={caller} value={caller}>
                {caller}
              </option>
            ))}
          </select>
        </label>
        {field('percent', 'Share of requests (%)', { inputMode: 'decimal' })}
        {field('abortStatus', 'Answer with status', { inputMode: 'numeric', placeholder: 'e.g. 503' })}
        {field('delayMs', 'Delay (ms)', { inputMode: 'numeric', placeholder: 'e.g. 300' })}
        <button type="submit" disabled={busy} data-testid="fault-submit">
          Inject fault
        </button>
        {errors.form && (
          <p role="alert" className="error">
            {errors.form}
          </p>
        )}
      </form>
    </section>
  );
}
