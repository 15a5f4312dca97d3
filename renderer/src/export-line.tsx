import { useState } from 'react';
import { exportLine } from '../../shared/export-line.js';

/** The line that sends a shell's traffic through the mesh, with a copy button. */
export function ExportLine({ proxyUrl }: { proxyUrl: string }) {
  const line = exportLine(proxyUrl);
  const [copied, setCopied] = useState(false);
  const copy = () => {
    navigator.clipboard.writeText(line).then(
      () => {
        setCopied(true);
        setTimeout(() => setCopied(false), 1_500);
      },
      () => setCopied(false),
    );
  };
  return (
    <section className="export-line" aria-label="Proxy setup">
      <p>
        Proxy at <strong data-testid="proxy-url">{proxyUrl}</strong>. In the shell that starts your services:
      </p>
      <div className="copy-row">
        <code data-testid="export-line">{line}</code>
        <button type="button" onClick={copy} aria-label="Copy the export line">
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
    </section>
  );
}
