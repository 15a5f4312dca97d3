/** The Services page as a user drives it: the instance table, the register/edit form, config errors. */
import type { Locator, Page } from '@playwright/test';

export class ServicesPage {
  readonly registerButton: Locator;
  readonly form: Locator;
  readonly formError: Locator;
  readonly pageError: Locator;
  readonly configErrors: Locator;

  constructor(readonly page: Page) {
    this.registerButton = page.getByTestId('register-instance');
    this.form = page.getByTestId('instance-form');
    this.formError = page.getByTestId('instance-form-error');
    this.pageError = page.getByTestId('services-error');
    this.configErrors = page.getByTestId('config-errors');
  }

  field(name: 'service' | 'version' | 'address' | 'labels' | 'checkPath' | 'checkExpect' | 'checkInterval'): Locator {
    return this.form.getByTestId(`instance-${name}`);
  }

  fieldError(name: string): Locator {
    return this.form.getByTestId(`instance-${name}-error`);
  }

  /** The row of one instance, found by its address. */
  instanceRow(service: string, address: string): Locator {
    return this.page.locator(`[data-testid="service-row-${service}"][data-instance="${address}"]`);
  }

  async fillForm(values: { service?: string; version?: string; address?: string; labels?: string; checkPath?: string; checkInterval?: string }): Promise<void> {
    for (const [name, value] of Object.entries(values) as [Parameters<ServicesPage['field']>[0], string][]) await this.field(name).fill(value);
  }

  async submit(): Promise<void> {
    await this.form.getByTestId('instance-submit').click();
  }
}
