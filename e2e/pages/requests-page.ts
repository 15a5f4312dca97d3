/**
 * The request log as a user drives it: filter words, the virtualised table, pause/follow/clear,
 * the detail pane, HAR export. Locators are data-testid and roles only.
 *
 * The table is virtualised, so the DOM holds only the rows on screen: `allRowIds` scrolls the
 * table from top to bottom and collects every row's id, which is what the tests compare with the
 * admin API's log.
 */
import { readFile } from 'node:fs/promises';
import { expect, type Locator, type Page } from '@playwright/test';

export class RequestsPage {
  readonly filterWords: Locator;
  readonly filterErrors: Locator;
  readonly table: Locator;
  readonly rows: Locator;
  readonly counters: Locator;
  readonly pauseButton: Locator;
  readonly resumeButton: Locator;
  readonly followButton: Locator;
  readonly clearButton: Locator;
  readonly exportButton: Locator;
  readonly detail: Locator;
  readonly savedFilters: Locator;

  constructor(readonly page: Page) {
    this.filterWords = page.getByTestId('filter-words');
    this.filterErrors = page.getByTestId('filter-errors');
    this.table = page.getByTestId('log-table');
    this.rows = page.getByTestId('log-row');
    this.counters = page.getByTestId('log-counters');
    this.pauseButton = page.getByTestId('pause');
    this.resumeButton = page.getByTestId('resume');
    this.followButton = page.getByTestId('follow');
    this.clearButton = page.getByTestId('clear');
    this.exportButton = page.getByTestId('export-har');
    this.detail = page.getByTestId('exchange-detail');
    this.savedFilters = page.getByTestId('saved-filters');
  }

  /** Opens the page at an address, as a link from the graph does: `service=world&caller=hello`. */
  async openAt(dashboardUrl: string, query = ''): Promise<void> {
    await this.page.goto(new URL(`/#/requests${query ? `?${query}` : ''}`, dashboardUrl).toString());
    await expect(this.table).toBeVisible();
  }

  /** Types filter words and applies them with Enter; waits until the history for them is loaded. */
  async filter(words: string): Promise<void> {
    await this.filterWords.fill(words);
    await this.filterWords.press('Enter');
    await this.historyLoaded();
  }

  async historyLoaded(): Promise<void> {
    await expect(this.counters).not.toContainText('loading history');
  }

  row(id: number): Locator {
    return this.page.locator(`[data-testid="log-row"][data-id="${id}"]`);
  }

  /** The number of rows the table holds (not only those on screen). */
  async rowCount(): Promise<number> {
    return Number(await this.table.getAttribute('data-row-count'));
  }

  /** Every row's id, top to bottom, scrolling the virtualised table through. */
  async allRowIds(): Promise<number[]> {
    const scroller = this.page.getByTestId('log-scroll');
    const seen = new Set<number>();
    await scroller.evaluate((element) => (element.scrollTop = 0));
    for (let step = 0; step < 2_000; step++) {
      for (const id of await this.rows.evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('data-id'))))) seen.add(id);
      const done = await scroller.evaluate((element) => {
        if (element.scrollTop + element.clientHeight >= element.scrollHeight - 1) return true;
        element.scrollTop += element.clientHeight / 2;
        return false;
      });
      if (done) break;
      await this.nextFrames();
    }
    return [...seen].sort((a, b) => a - b);
  }

  /** Two animation frames: the virtualiser renders the rows for a new scroll position. */
  private async nextFrames(): Promise<void> {
    // A string, because this project's Node code is typed without the DOM.
    await this.page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
  }

  async pause(): Promise<void> {
    await this.pauseButton.click();
    await expect(this.resumeButton).toBeVisible();
  }

  async resume(): Promise<void> {
    await this.resumeButton.click();
    await expect(this.pauseButton).toBeVisible();
  }

  /** Opens an exchange's detail pane by clicking its row; pauses first so the row stays put. */
  async openExchange(id: number): Promise<void> {
    if (await this.pauseButton.isVisible()) await this.pause();
    await this.scrollTo(id);
    await this.row(id).click();
    await expect(this.detail).toHaveAttribute('data-id', String(id));
  }

  /** Scrolls until the row with this id is rendered. */
  async scrollTo(id: number): Promise<void> {
    const scroller = this.page.getByTestId('log-scroll');
    await scroller.evaluate((element) => (element.scrollTop = 0));
    for (let step = 0; step < 2_000 && (await this.row(id).count()) === 0; step++) {
      const end = await scroller.evaluate((element) => {
        if (element.scrollTop + element.clientHeight >= element.scrollHeight - 1) return true;
        element.scrollTop += element.clientHeight / 2;
        return false;
      });
      if (end) break;
      await this.nextFrames();
    }
    await expect(this.row(id)).toBeVisible();
  }

  headers(which: 'request' | 'response'): Locator {
    return this.detail.getByTestId(`headers-${which}-headers`);
  }

  body(which: 'request' | 'response'): Locator {
    return this.detail.getByTestId(`body-${which}-body`);
  }

  /** The value of a header as the detail pane shows it, once the exchange's headers have loaded. */
  async headerValue(which: 'request' | 'response', name: string): Promise<string | null> {
    await expect(this.headers(which).getByRole('rowheader').first()).toBeVisible();
    const row = this.headers(which)
      .getByRole('row')
      .filter({ has: this.page.getByRole('rowheader', { name, exact: true }) });
    return (await row.count()) === 0 ? null : row.first().getByRole('cell').innerText();
  }

  /** Clicks "Copy as curl" and returns what went to the clipboard (needs clipboard permissions). */
  async copyAsCurl(): Promise<string> {
    await this.detail.getByRole('button', { name: 'Copy as curl' }).click();
    await expect(this.detail.getByRole('button', { name: 'Copied' })).toBeVisible();
    return this.page.evaluate<string>('navigator.clipboard.readText()');
  }

  /** Clicks "Export HAR" and returns the downloaded file, parsed. */
  async exportHar(): Promise<{ name: string; har: unknown }> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), this.exportButton.click()]);
    const file = await download.path();
    return { name: download.suggestedFilename(), har: JSON.parse(await readFile(file, 'utf8')) as unknown };
  }
}
