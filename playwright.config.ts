/**
 * End-to-end tests: the real `meshdesk` CLI on free ports, driven through Debian's Chromium.
 *
 * The browser is the system's (`apt-get install chromium`), never a Playwright download: this
 * machine reaches no browser CDN, so `npx playwright install` must not be part of any setup. Its
 * switches (e2e/fixtures/chromium-args.ts) stop it phoning home and loading its own omnibox popup
 * pages beside the page under test. Two workers at most: the machine has
 * two cores shared with other work, and every test also runs a mesh and its demo services.
 */
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS } from './e2e/fixtures/chromium-args.js';
import { chromiumPath } from './e2e/fixtures/chromium-path.js';

const ELECTRON_SPECS = /electron[^/]*\.spec\.ts$/;

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'e2e/artifacts',
  // Baselines of toHaveScreenshot (only e2e/visual/ takes any) next to their spec, one file per
  // picture: `e2e/visual/baselines/topology-dark-1280x800.png`. No platform suffix: the tests run
  // on Linux with Debian's Chromium only.
  snapshotPathTemplate: '{testDir}/{testFileDir}/baselines/{arg}{ext}',
  fullyParallel: false,
  workers: process.env.CI ? 1 : 2,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  // Generous: the machine is shared, and a test starts and stops real processes.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    actionTimeout: 10_000,
    navigationTimeout: 20_000,
  },
  projects: [
    {
      name: 'chromium',
      testIgnore: ELECTRON_SPECS,
      use: {
        browserName: 'chromium',
        launchOptions: {
          executablePath: chromiumPath(),
          args: [...CHROMIUM_ARGS],
        },
      },
    },
    {
      // The desktop shell's tests launch Electron themselves; they need no browser.
      name: 'electron',
      testMatch: ELECTRON_SPECS,
    },
  ],
});
