import type { WireBody } from '../../../shared/exchange.js';
import { bodyView } from './body-format.js';

/** One captured body: pretty JSON, text, or a hex dump, with a notice where capture cut it. */
interface BodyPanelProps {
  body: WireBody | null;
  contentType: string | undefined;
  label: string;
  dropped: boolean;
  /** Body bytes the exchange carried this way: with none, there was nothing to capture. */
  bytes: number;
}

export function BodyPanel({ body, contentType, label, dropped, bytes }: BodyPanelProps) {
  const testId = `body-${label.toLowerCase().replace(/\s+/g, '-')}`;
  if (dropped && !body && bytes > 0)
    return (
      <p className="muted" data-testid={testId}>
        Dropped to keep the log within its memory budget.
      </p>
    );
  const view = bodyView(body, contentType);
  if (view.kind === 'none')
    return (
      <p className="muted" data-testid={testId}>
        {body || bytes === 0 ? 'None.' : 'Not captured.'}
      </p>
    );
  return (
    <div className="body-panel" data-testid={testId} data-kind={view.kind}>
      {view.note && (
        <p className="notice" data-testid={`${testId}-cut`}>
          {view.note}
        </p>
      )}
      <pre aria-label={label}>{view.text}</pre>
    </div>
  );
}
