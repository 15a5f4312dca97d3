/**
 * Settings › Guarded drags: whether a drag on the graph carries a guard (on by default) and how long
 * it watches. Saved as the user types, like the theme: a valid period is stored at once, an invalid
 * one is shown as such and the stored one stays in force.
 */
import { useState } from 'react';
import { guardDragsSchema, type GuardDrags } from './settings-model.js';

export function GuardSettings({ value, onSave }: { value: GuardDrags; onSave: (guardDrags: GuardDrags) => void }) {
  const [period, setPeriod] = useState(String(value.forSeconds));
  const [invalid, setInvalid] = useState(false);
  return (
    <fieldset className="settings-group" data-testid="guard-settings">
      <legend>Guarded drags</legend>
      <label className="radio">
        <input
          type="checkbox"
          role="switch"
          checked={value.enabled}
          onChange={(event) => onSave({ ...value, enabled: event.target.checked })}
          data-testid="guard-drags"
        />
        Guard drags
      </label>
      <label className="field">
        <span>Watch period (s)</span>
        <input
          type="number"
          min={5}
          max={3600}
          step={1}
          value={period}
          disabled={!value.enabled}
          onChange={(event) => {
            setPeriod(event.target.value);
            const parsed = guardDragsSchema.safeParse({ ...value, forSeconds: Number(event.target.value) });
            setInvalid(!parsed.success || event.target.value.trim() === '');
            if (parsed.success && event.target.value.trim() !== '') onSave(parsed.data);
          }}
          aria-invalid={invalid || undefined}
          aria-describedby="guard-period-help"
          data-testid="guard-period"
        />
      </label>
      <p id="guard-period-help" className={invalid ? 'error small' : 'muted small'}>
        {invalid
          ? 'A whole number of seconds from 5 to 3600.'
          : 'After a drag, the mesh watches the new version for this long and rolls the drag back at once if its success rate falls 1 point below the old version’s or its p99 doubles (once 20 requests reached it).'}
      </p>
    </fieldset>
  );
}
