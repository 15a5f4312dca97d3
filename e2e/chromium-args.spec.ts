// The browser the tests and benchmarks launch: Playwright's own disabled features kept, and no
// omnibox popup WebUI renderer taking CPU beside the page under test (chromium-args.ts says why).
import { readdirSync, readFileSync } from 'node:fs';
import { chromium, expect, test } from '@playwright/test';
import { CHROMIUM_ARGS, OMNIBOX_POPUP_FEATURES } from './fixtures/chromium-args.js';
import { chromiumPath } from './fixtures/chromium-path.js';

/** The --disable-features value on the command line of the browser process Playwright started. */
function disabledFeaturesOf(browserPid: number): string[] {
  const args = readFileSync(`/proc/${browserPid}/cmdline`, 'utf8').split('\0');
  // The last one given is the one Chromium keeps.
  const value = args.filter((arg) => arg.startsWith('--disable-features=')).at(-1);
  return value ? value.slice('--disable-features='.length).split(',') : [];
}

/**
 * The pid of the Chromium browser process: a child of this process that Playwright talks to over
 * a pipe (Debian's /usr/bin/chromium is a script that execs the real binary, so not by its path).
 */
function browserPid(): number {
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (parent === process.pid && cmdline.includes('--remote-debugging-pipe') && !cmdline.includes('--type=')) return Number(entry);
    } catch {
      // A process that ended while being read.
    }
  }
  throw new Error('no Chromium browser process started by this test');
}

test('our switches keep every feature Playwright disables, and drop the omnibox popup pages', async () => {
  const plain = await chromium.launch({ executablePath: chromiumPath(), args: ['--headless', '--no-sandbox'] });
  const playwrights = disabledFeaturesOf(browserPid());
  await plain.close();
  expect(playwrights.length).toBeGreaterThan(0);

  const ours = await chromium.launch({ executablePath: chromiumPath(), args: [...CHROMIUM_ARGS] });
  try {
    const disabled = disabledFeaturesOf(browserPid());
    expect(disabled).toEqual(expect.arrayContaining([...playwrights, ...OMNIBOX_POPUP_FEATURES]));
    const page = await (await ours.newContext()).newPage();
    await page.goto('about:blank');
    const session = await ours.newBrowserCDPSession();
    const { targetInfos } = (await session.send('Target.getTargets')) as { targetInfos: { type: string; url: string }[] };
    expect(targetInfos.filter((target) => target.url.startsWith('chrome://omnibox-popup'))).toEqual([]);
  } finally {
    await ours.close();
  }
});

test('without them, this Chromium does load the omnibox popup pages (so the test above can fail)', async () => {
  const plain = await chromium.launch({ executablePath: chromiumPath(), args: ['--headless', '--no-sandbox'] });
  try {
    const page = await (await plain.newContext()).newPage();
    await page.goto('about:blank');
    const session = await plain.newBrowserCDPSession();
    await expect
      .poll(async () =>
        ((await session.send('Target.getTargets')) as { targetInfos: { url: string }[] }).targetInfos.some((target) =>
          target.url.startsWith('chrome://omnibox-popup'),
        ),
      )
      .toBe(true);
  } finally {
    await plain.close();
  }
});
