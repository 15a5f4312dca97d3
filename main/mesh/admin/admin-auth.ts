/**
 * Who may use the admin API. Security model: the API can reroute every request on the machine, so
 * a web page the user happens to visit must not be able to touch it, and neither must another
 * user's process. Three checks, all on every request but the liveness probe and /metrics:
 *
 * 1. Host must be a loopback name or address. A page that rebinds its own DNS name to 127.0.0.1
 *    sends its own name as Host, so DNS rebinding stops here.
 * 2. Origin, when a browser sends one, must be the dashboard's own origin. Browsers always send it
 *    on cross-origin requests, so another site's page cannot even make a "simple" POST land. No CORS
 *    headers are ever sent, so nothing cross-origin can be read either.
 * 3. A secret token: `Authorization: Bearer <token>` (CLI, scripts), or an
 *    HttpOnly SameSite=Strict cookie the dashboard receives by opening the one-time login URL that
 *    `meshdesk serve` prints (the desktop app's window opens one itself). The token is random, persisted with the user's state (readable only by
 *    that user), and compared in constant time.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const SESSION_COOKIE = 'meshdesk_session';
const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d{1,5})?$/i;

export type AuthFailure = { status: 401 | 403; error: string };

export class AdminAuth {
  private loginCode: string | null = null;

  constructor(
    readonly token: string,
    /** The admin server's own origins, e.g. http://127.0.0.1:9990 and http://localhost:9990. */
    private readonly ownOrigins: () => readonly string[],
  ) {}

  static newToken(): string {
    return randomBytes(32).toString('base64url');
  }

  /** Host and Origin checks: for every request, the dashboard's files included. */
  checkRequestOrigin(req: IncomingMessage): AuthFailure | null {
    if (!LOOPBACK_HOST.test(req.headers.host ?? '')) {
      return { status: 403, error: 'the admin API answers only loopback Host names' };
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !this.ownOrigins().includes(origin)) {
      return { status: 403, error: `requests from origin ${origin} are not allowed` };
    }
    return null;
  }

  /** The token check, for API calls. */
  checkToken(req: IncomingMessage): AuthFailure | null {
    const presented = bearerToken(req.headers.authorization) ?? cookieValue(req.headers.cookie, SESSION_COOKIE);
    if (presented === null) {
      return { status: 401, error: 'missing admin token: open the login URL that meshdesk prints, or send Authorization: Bearer <token>' };
    }
    return sameSecret(presented, this.token) ? null : { status: 401, error: 'wrong admin token' };
  }

  /** A fresh login code; any earlier one stops working. */
  newLoginCode(): string {
    this.loginCode = randomBytes(18).toString('base64url');
    return this.loginCode;
  }

  /** True once for the current code: a printed login URL cannot be replayed from a log or history. */
  redeemLoginCode(code: string): boolean {
    if (this.loginCode === null || !sameSecret(code, this.loginCode)) return false;
    this.loginCode = null;
    return true;
  }

  sessionCookie(): string {
    return `${SESSION_COOKIE}=${this.token}; HttpOnly; SameSite=Strict; Path=/`;
  }
}

function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1] ?? null;
}

function cookieValue(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

function sameSecret(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
