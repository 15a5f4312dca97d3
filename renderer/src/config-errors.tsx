import type { ConfigError } from '../../shared/model.js';

/** Config errors, shown prominently: the mesh keeps the last good config while they stand. */
export function ConfigErrors({ errors }: { errors: ConfigError[] }) {
  if (errors.length === 0) return null;
  return (
    <section className="config-errors" data-testid="config-errors" role="alert">
      <h2>Config errors — the last good config is still in force</h2>
      <ul>
        {errors.map((error, index) => (
          <li key={index}>
            <code>
              {error.file}:{error.line}:{error.column}
            </code>{' '}
            {error.message}
          </li>
        ))}
      </ul>
    </section>
  );
}
