/**
 * The dashboard window's hardening, after Electron's security checklist. Security model: the
 * window shows a web page served over loopback HTTP by our own admin server, so it is treated like
 * any remote content: no Node, a sandboxed renderer, isolated context, a strict Content-Security-
 * Policy sent as a response header (a page cannot remove a header the way it could drop a meta
 * tag), no navigation away from the dashboard origin, no new windows (http(s) links open in the
 * system browser; everything else is dropped), and no browser permissions, bar one.
 *
 * The one permission: `clipboard-sanitized-write` for the dashboard origin, so its Copy button
 * (navigator.clipboard.writeText) works; it writes plain text and reads nothing.
 *
 * The decisions are pure functions (unit-tested); the appliers below only wire them to Electron.
 */
import type { HandlerDetails, WebPreferences, WindowOpenHandlerResponse } from 'electron';

/** Every setting spelled out, even where it is Electron's default: a default can change. */
export function dashboardWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
  };
}

/** Same-origin code, styles (React sets style attributes, hence 'unsafe-inline' for styles only) and API calls. */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "worker-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/** Response headers with our CSP in place of any the server sent (header names are case-insensitive). */
export function withCsp(headers: Record<string, string[]> | undefined): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() !== 'content-security-policy') result[name] = value;
  }
  result['Content-Security-Policy'] = [DASHBOARD_CSP];
  return result;
}

/** Links the system browser may open: http and https only (no file:, javascript:, custom schemes). */
export function isExternalWebUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

export function sameOrigin(url: string, origin: string): boolean {
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}

export type NavigationVerdict = 'allow' | 'open-external' | 'deny';

/** In-window navigation stays on the dashboard origin (a reload, the login redirect). */
export function navigationVerdict(url: string, dashboardOrigin: string): NavigationVerdict {
  if (sameOrigin(url, dashboardOrigin)) return 'allow';
  return isExternalWebUrl(url) ? 'open-external' : 'deny';
}

/** New windows are never created; http(s) targets go to the system browser instead. */
export function windowOpenVerdict(url: string): Exclude<NavigationVerdict, 'allow'> {
  return isExternalWebUrl(url) ? 'open-external' : 'deny';
}

export function permissionAllowed(permission: string, requestingUrl: string, dashboardOrigin: string): boolean {
  return permission === 'clipboard-sanitized-write' && sameOrigin(requestingUrl, dashboardOrigin);
}

/** The parts of Electron's Session the hardening uses. */
export interface SessionLike {
  webRequest: {
    onHeadersReceived(
      filter: { urls: string[] },
      listener: (
        details: { responseHeaders?: Record<string, string[]> },
        callback: (response: { responseHeaders?: Record<string, string | string[]> }) => void,
      ) => void,
    ): void;
  };
  setPermissionRequestHandler(
    handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void, details: { requestingUrl?: string }) => void,
  ): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string, requestingOrigin: string) => boolean): void;
}

export function hardenSession(session: SessionLike, dashboardOrigin: string): void {
  session.webRequest.onHeadersReceived({ urls: [`${dashboardOrigin}/*`] }, (details, callback) => {
    callback({ responseHeaders: withCsp(details.responseHeaders) });
  });
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(permissionAllowed(permission, details.requestingUrl ?? '', dashboardOrigin));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => permissionAllowed(permission, requestingOrigin, dashboardOrigin));
}

/** The parts of Electron's WebContents the guards use. */
export interface GuardedContents {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: { url: string; preventDefault(): void }) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
  setWindowOpenHandler(handler: (details: Pick<HandlerDetails, 'url'>) => WindowOpenHandlerResponse): void;
}

/** Applied to every webContents the app creates (`web-contents-created`), not only the dashboard's. */
export function guardContents(contents: GuardedContents, dashboardOrigin: string, openExternal: (url: string) => void): void {
  const onNavigate = (event: { url: string; preventDefault(): void }) => {
    const verdict = navigationVerdict(event.url, dashboardOrigin);
    if (verdict === 'allow') return;
    event.preventDefault();
    if (verdict === 'open-external') openExternal(event.url);
  };
  contents.on('will-navigate', onNavigate);
  // A redirect is checked too: an allowed same-origin URL must not bounce the window elsewhere.
  contents.on('will-redirect', (event) => {
    if (navigationVerdict(event.url, dashboardOrigin) !== 'allow') event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (windowOpenVerdict(url) === 'open-external') openExternal(url);
    return { action: 'deny' };
  });
}
