/**
 * The Diffs page as a user drives it: the service picker, the rule and its counts, the endpoints
 * table with its differing and noisy fields, the pairs of a field, one pair side by side.
 * Locators are data-testid, data attributes the page renders for the purpose, and roles.
 */
import { expect, type Locator, type Page } from '@playwright/test';

export class DiffsPage {
  readonly root: Locator;
  readonly servicePicker: Locator;
  readonly empty: Locator;
  readonly ruleLine: Locator;
  readonly stats: Locator;
  readonly endpoints: Locator;
  readonly pairRows: Locator;
  readonly pair: Locator;
  readonly clearButton: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('diffs-page');
    this.servicePicker = page.getByTestId('diffs-service');
    this.empty = page.getByTestId('diffs-empty');
    this.ruleLine = page.getByTestId('diff-rule-line');
    this.stats = page.getByTestId('diff-stats');
    this.endpoints = page.getByTestId('diff-endpoint');
    this.pairRows = page.getByTestId('diff-pair-row');
    this.pair = page.getByTestId('diff-pair');
    this.clearButton = page.getByRole('button', { name: 'Clear diffs' });
  }

  /** Opens the page from the navigation bar, as a user would. */
  async open(): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Pages' }).getByTestId('nav-diffs').click();
    await expect(this.page.getByTestId('nav-diffs')).toHaveAttribute('aria-current', 'page');
  }

  /** An endpoint's row: `endpoint('GET', '/users/{id}')`. */
  endpoint(method: string, pattern: string): Locator {
    return this.page.locator(`[data-testid="diff-endpoint"][data-method="${method}"][data-pattern="${pattern}"]`);
  }

  /** The fields that counted in the verdict, as buttons carrying `data-field`. */
  differingFields(endpoint: Locator): Locator {
    return endpoint.getByTestId('differing-field');
  }

  noisyFields(endpoint: Locator): Locator {
    return endpoint.getByTestId('noisy-field');
  }

  /** The `data-field` of each locator's elements, in order. */
  async fieldNames(fields: Locator): Promise<string[]> {
    return fields.evaluateAll((elements) => elements.map((element) => element.getAttribute('data-field') ?? ''));
  }

  /** One row of the open pair's list of differences. */
  pairDifference(field: string): Locator {
    return this.pair.locator(`[data-testid="pair-difference"][data-field="${field}"]`);
  }
}
