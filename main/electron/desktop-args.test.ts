/**
 * The desktop app's command line, including the Chromium switches it must leave alone.
 * Run: npx vitest run main/electron/desktop-args.test.ts
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDesktopArgs } from './desktop-args.js';

describe('parseDesktopArgs', () => {
  it('reads ports, config and profile folder, in both --name=value and --name value forms', () => {
    const parsed = parseDesktopArgs(['--proxy-port=0', '--admin-port', '9991', '--config', 'ws/meshdesk.yaml', '--user-data-dir=/tmp/p'], '/home/dev');
    expect(parsed).toEqual({
      ok: true,
      args: { proxyPort: 0, adminPort: 9991, configFile: path.resolve('/home/dev/ws/meshdesk.yaml'), userDataDir: path.resolve('/tmp/p') },
    });
  });

  it('leaves Chromium switches and positionals alone', () => {
    const parsed = parseDesktopArgs(['--no-sandbox', '--enable-logging', '--remote-debugging-port=0', 'dist/main/electron/main.js'], '/');
    expect(parsed).toEqual({ ok: true, args: { proxyPort: null, adminPort: null, configFile: null, userDataDir: null } });
  });

  it.each([
    [['--proxy-port=70000'], '--proxy-port must be a port number from 0 to 65535'],
    [['--admin-port=abc'], '--admin-port must be a port number from 0 to 65535'],
    [['--proxy-port'], '--proxy-port must be a port number from 0 to 65535'],
    [['--config='], '--config needs a path'],
  ])('refuses %j', (argv, error) => {
    expect(parseDesktopArgs(argv, '/')).toEqual({ ok: false, error });
  });
});
