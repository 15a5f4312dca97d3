import { exportLine } from '../../shared/export-line.js';
import { CopyButton } from './components/copy-button.js';
import { copyExportLine } from './desktop.js';

/** The line that sends a shell's traffic through the mesh, with a copy button. */
export function ExportLine({ proxyUrl }: { proxyUrl: string }) {
  const line = exportLine(proxyUrl);
  return (
    <section className="export-line" aria-label="Proxy setup">
      <p>
        Proxy at <strong data-testid="proxy-url">{proxyUrl}</strong>. In the shell that starts your services:
      </p>
      <div className="copy-row">
        <code data-testid="export-line">{line}</code>
        <CopyButton text={line} label="Copy the export line" copy={copyExportLine} />
      </div>
    </section>
  );
}
