/**
 * The dashboard as a user sees it. Locators use data-testid and ARIA roles only, never CSS classes
 * or layout, so a restyle does not break the tests and a lost accessible name does.
 */
import { expect, type Locator, type Page } from '@playwright/test';

export class DashboardPage {
  readonly heading: Locator;
  readonly exportLine: Locator;
  readonly proxyUrl: Locator;
  readonly copyButton: Locator;
  readonly configErrors: Locator;
  readonly noServices: Locator;
  readonly unreachable: Locator;
  readonly signInNotice: Locator;
  readonly connection: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Meshdesk', level: 1 });
    this.exportLine = page.getByTestId('export-line');
    this.proxyUrl = page.getByTestId('proxy-url');
    this.copyButton = page.getByRole('button', { name: 'Copy the export line' });
    this.configErrors = page.getByTestId('config-errors');
    this.noServices = page.getByTestId('no-services');
    this.unreachable = page.getByRole('alert').filter({ hasText: 'Cannot reach the mesh' });
    this.signInNotice = page.getByTestId('sign-in');
    this.connection = page.getByTestId('connection');
  }

  /**
   * Signs in with the one-time login URL the CLI printed (it redirects to the dashboard with a
   * session cookie), then waits until the dashboard has heard from the mesh.
   */
  async signIn(loginUrl: string): Promise<void> {
    await this.page.goto(loginUrl);
    await expect(this.heading).toBeVisible();
    await expect(this.connection).toHaveText('live');
  }

  /** Opens one of the dashboard's pages from its navigation bar, as a user would. */
  async open(page: 'topology' | 'requests' | 'services' | 'settings'): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Pages' }).getByTestId(`nav-${page}`).click();
    await expect(this.page.getByTestId(`nav-${page}`)).toHaveAttribute('aria-current', 'page');
  }

  /** Every table row of a service: one per instance. */
  serviceRows(service: string): Locator {
    return this.page.getByTestId(`service-row-${service}`);
  }

  /** The row of one version's instance; the version is named only on its first instance's row. */
  versionRow(service: string, version: string): Locator {
    return this.serviceRows(service).filter({ has: this.page.getByRole('cell', { name: version, exact: true }) });
  }

  /** The text of each config error as shown, e.g. `meshdesk.yaml:5:21 services.world…`. */
  async configErrorTexts(): Promise<string[]> {
    return (await this.configErrors.getByRole('listitem').allInnerTexts()).map((text) => text.trim());
  }
}
