/** The "Export for Kubernetes" dialog, opened from the service panel or the Services page. */
import type { Locator, Page } from '@playwright/test';

export class KubernetesExportDialog {
  readonly dialog: Locator;
  readonly yaml: Locator;
  readonly namespace: Locator;
  readonly copy: Locator;
  readonly download: Locator;
  readonly close: Locator;
  readonly error: Locator;

  constructor(readonly page: Page) {
    this.dialog = page.getByRole('dialog');
    this.yaml = this.dialog.getByTestId('k8s-export-yaml');
    this.namespace = this.dialog.getByTestId('k8s-export-namespace');
    this.copy = this.dialog.getByRole('button', { name: 'Copy the YAML' });
    this.download = this.dialog.getByTestId('k8s-export-download');
    this.close = this.dialog.getByRole('button', { name: 'Close the export' });
    this.error = this.dialog.getByTestId('k8s-export-error');
  }

  /** The YAML as shown, once the mesh has answered. */
  async text(): Promise<string> {
    return (await this.yaml.textContent()) ?? '';
  }
}
