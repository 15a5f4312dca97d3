import { useEffect, useState } from 'react';

const writeClipboard = (text: string) => navigator.clipboard.writeText(text);

/**
 * Copies `text` to the clipboard and says so for a moment; `label` is its accessible name. `copy`
 * replaces the plain clipboard write, e.g. with an action of the desktop bridge (desktop.ts).
 */
export function CopyButton({
  text,
  label,
  testId,
  copy: write = writeClipboard,
}: {
  text: string;
  label: string;
  testId?: string;
  copy?: (text: string) => Promise<void>;
}) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 1_500);
    return () => clearTimeout(timer);
  }, [state]);
  const copy = () => {
    write(text).then(
      () => setState('copied'),
      () => setState('failed'),
    );
  };
  return (
    <button type="button" onClick={copy} aria-label={label} data-testid={testId}>
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : 'Copy'}
    </button>
  );
}
