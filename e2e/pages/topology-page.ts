/**
 * The topology view as a user drives it: the graph, its nodes, edges and version targets, the
 * service panel. Locators are data-testid and React Flow's own data attributes (`data-nodeid`,
 * `data-handleid`, which it renders for every handle); the one exception is the reconnect anchor
 * at an edge's head, which React Flow renders with a class only.
 */
import { expect, type Locator, type Page } from '@playwright/test';

export class TopologyPage {
  readonly graph: Locator;
  readonly panel: Locator;
  readonly notice: Locator;
  readonly firstRun: Locator;
  readonly servicePicker: Locator;

  constructor(readonly page: Page) {
    this.graph = page.getByTestId('topology-graph');
    this.panel = page.getByTestId('service-panel');
    this.notice = page.getByTestId('topology-notice');
    this.firstRun = page.getByTestId('first-run');
    this.servicePicker = page.getByTestId('service-picker');
  }

  /** An edge by id: `hello->world@v1` (caller -> service@version). */
  edge(id: string): Locator {
    return this.page.getByTestId(`rf__edge-${id}`);
  }

  /** The drawn edge, with `data-health` (good, warn, bad, none) and `data-idle`. */
  edgeDrawing(id: string): Locator {
    return this.page.getByTestId(`edge-${id}`);
  }

  edgeLabel(id: string): Locator {
    return this.page.getByTestId(`edge-label-${id}`);
  }

  serviceNode(service: string): Locator {
    return this.page.getByTestId(`service-node-${service}`);
  }

  /** The share of a service's traffic a version gets, as the node shows it (`100%`). */
  versionShare(service: string, version: string): Locator {
    return this.page.getByTestId(`version-share-${service}-${version}`);
  }

  versionHandle(service: string, version: string): Locator {
    return this.page.locator(`[data-nodeid="svc:${service}"][data-handleid="v:${version}"]`);
  }

  /**
   * Drags the head of an edge with the mouse, as a user does, and drops it on `target`. Waits
   * first until the graph holds still: the view refits when the layout places new nodes (a new
   * caller appears when the test itself sends requests).
   */
  async dragEdgeHead(edgeId: string, target: Locator): Promise<void> {
    const anchor = this.edge(edgeId).locator('.react-flow__edgeupdater-target');
    const boxes = async () => JSON.stringify([await anchor.boundingBox(), await target.boundingBox()]);
    let previous = '';
    await expect
      .poll(
        async () => {
          const now = await boxes();
          const still = now === previous;
          previous = now;
          return still;
        },
        { intervals: [250], timeout: 10_000 },
      )
      .toBe(true);
    const from = await anchor.boundingBox();
    const to = await target.boundingBox();
    if (!from || !to) throw new Error(`edge ${edgeId} or its drop target is not on screen`);
    // The left part of the anchor: its right part lies under the target handle, which is on top.
    await this.page.mouse.move(from.x + from.width * 0.25, from.y + from.height / 2);
    await this.page.mouse.down();
    await this.page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 12 });
    await this.page.mouse.up();
  }

  /**
   * Clicks an edge in its middle, as a user does (not at its head, which starts a drag). React
   * Flow's curve between two side handles is symmetric, so its middle is the centre of its box.
   */
  async clickEdge(edgeId: string): Promise<void> {
    const path = this.edge(edgeId).locator('path.react-flow__edge-interaction');
    const box = await path.boundingBox();
    if (!box) throw new Error(`edge ${edgeId} is not on screen`);
    await this.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  }

  /** Opens the panel of a service from the toolbar's picker (a keyboard-friendly path). */
  async openPanel(service: string): Promise<void> {
    await this.servicePicker.selectOption(service);
    await expect(this.panel.getByRole('heading', { name: service, level: 2 })).toBeVisible();
  }

  get routeInForce(): Locator {
    return this.panel.getByTestId('route-in-force');
  }

  routeAllTo(version: string): Locator {
    return this.panel.getByTestId(`route-all-${version}`);
  }

  weightSlider(version: string): Locator {
    return this.panel.getByTestId(`weight-${version}`);
  }

  get rollback(): Locator {
    return this.panel.getByTestId('rollback');
  }
}
