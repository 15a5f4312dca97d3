/**
 * The dashboard window's hardening decisions, and the appliers wired to plain objects standing in
 * for Electron's Session and WebContents (they cannot exist without the Electron binary).
 * Run: npx vitest run main/electron/security.test.ts
 */
import { describe, expect, it } from 'vitest';
import {
  DASHBOARD_CSP,
  dashboardWebPreferences,
  guardContents,
  hardenSession,
  navigationVerdict,
  permissionAllowed,
  windowOpenVerdict,
  withCsp,
  type GuardedContents,
  type SessionLike,
} from './security.js';

const ORIGIN = 'http://127.0.0.1:9990';

describe('dashboardWebPreferences', () => {
  it('follows the checklist explicitly', () => {
    expect(dashboardWebPreferences('/app/preload.cjs')).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });
});

describe('the Content-Security-Policy', () => {
  it('allows only same-origin code and connections, and no framing, plugins or forms', () => {
    const directives = new Map(DASHBOARD_CSP.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]));
    expect(directives.get('default-src')).toBe("'none'");
    expect(directives.get('script-src')).toBe("'self'");
    expect(directives.get('connect-src')).toBe("'self'");
    expect(directives.get('frame-ancestors')).toBe("'none'");
    expect(directives.get('object-src')).toBe("'none'");
    expect(DASHBOARD_CSP).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline|\*/);
  });

  it('replaces a policy the server sent, whatever the header case, and keeps other headers', () => {
    const headers = withCsp({ 'content-security-policy': ['default-src *'], 'Content-Type': ['text/html'] });
    expect(headers).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [DASHBOARD_CSP] });
    expect(withCsp(undefined)).toEqual({ 'Content-Security-Policy': [DASHBOARD_CSP] });
  });
});

describe('navigation and new windows', () => {
  it.each([
    [`${ORIGIN}/`, 'allow'],
    [`${ORIGIN}/login?code=abc`, 'allow'],
    ['http://127.0.0.1:4140/', 'open-external'],
    ['https://github.com/meshdesk', 'open-external'],
    ['file:///etc/passwd', 'deny'],
    ['javascript:alert(1)', 'deny'],
    ['vscode://open?x', 'deny'],
    ['not a url', 'deny'],
  ])('navigating to %s: %s', (url, verdict) => {
    expect(navigationVerdict(url, ORIGIN)).toBe(verdict);
  });

  it('never opens a window, even on the dashboard origin', () => {
    expect(windowOpenVerdict(`${ORIGIN}/`)).toBe('open-external');
    expect(windowOpenVerdict('https://example.org/')).toBe('open-external');
    expect(windowOpenVerdict('file:///tmp/x')).toBe('deny');
    expect(windowOpenVerdict('about:blank')).toBe('deny');
  });
});

describe('permissions', () => {
  it('grants only plain-text clipboard writes, and only to the dashboard', () => {
    expect(permissionAllowed('clipboard-sanitized-write', `${ORIGIN}/`, ORIGIN)).toBe(true);
    expect(permissionAllowed('clipboard-sanitized-write', 'https://evil.example/', ORIGIN)).toBe(false);
    for (const permission of ['clipboard-read', 'media', 'geolocation', 'notifications', 'openExternal', 'hid', 'unknown']) {
      expect(permissionAllowed(permission, `${ORIGIN}/`, ORIGIN)).toBe(false);
    }
  });
});

describe('hardenSession', () => {
  it('sets the CSP header on dashboard responses only and wires the permission handlers', () => {
    const seen: { filter?: { urls: string[] }; headers?: Record<string, string | string[]>; granted: boolean[]; checks: boolean[] } = {
      granted: [],
      checks: [],
    };
    const session: SessionLike = {
      webRequest: {
        onHeadersReceived: (filter, listener) => {
          seen.filter = filter;
          listener({ responseHeaders: { 'Content-Type': ['text/html'] } }, (response) => (seen.headers = response.responseHeaders));
        },
      },
      setPermissionRequestHandler: (handler) => {
        handler(null, 'media', (granted) => seen.granted.push(granted), { requestingUrl: `${ORIGIN}/` });
        handler(null, 'clipboard-sanitized-write', (granted) => seen.granted.push(granted), { requestingUrl: `${ORIGIN}/` });
      },
      setPermissionCheckHandler: (handler) => {
        seen.checks.push(handler(null, 'geolocation', ORIGIN), handler(null, 'clipboard-sanitized-write', ORIGIN));
      },
    };
    hardenSession(session, ORIGIN);
    expect(seen.filter).toEqual({ urls: [`${ORIGIN}/*`] });
    expect(seen.headers?.['Content-Security-Policy']).toEqual([DASHBOARD_CSP]);
    expect(seen.granted).toEqual([false, true]);
    expect(seen.checks).toEqual([false, true]);
  });
});

describe('guardContents', () => {
  function guarded() {
    const listeners = new Map<string, (event: { url: string; preventDefault(): void }) => void>();
    let openHandler: ((details: { url: string }) => { action: string }) | undefined;
    const contents: GuardedContents = {
      on: (name: string, listener: (event: { url: string; preventDefault(): void }) => void) => listeners.set(name, listener),
      setWindowOpenHandler: (handler) => (openHandler = handler),
    };
    const opened: string[] = [];
    guardContents(contents, ORIGIN, (url) => opened.push(url));
    const fire = (name: string, url: string) => {
      let prevented = false;
      listeners.get(name)?.({ url, preventDefault: () => (prevented = true) });
      return prevented;
    };
    return { fire, opened, open: (url: string) => openHandler?.({ url }) };
  }

  it('keeps the window on the dashboard and sends web links to the system browser', () => {
    const { fire, opened } = guarded();
    expect(fire('will-navigate', `${ORIGIN}/services`)).toBe(false);
    expect(fire('will-navigate', 'https://example.org/')).toBe(true);
    expect(fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(fire('will-redirect', 'https://example.org/')).toBe(true);
    expect(fire('will-attach-webview', `${ORIGIN}/`)).toBe(true);
    expect(opened).toEqual(['https://example.org/']);
  });

  it('denies every new window', () => {
    const { open, opened } = guarded();
    expect(open('https://example.org/a')).toEqual({ action: 'deny' });
    expect(open('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://example.org/a']);
  });
});
