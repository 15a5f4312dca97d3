/**
 * Fault rules as the proxy meets them: looked up by service and caller, then rolled against their
 * percentage, once per request or call (HTTP/1.1 and HTTP/2 alike).
 */
import type { Fault } from '../../../shared/routes.js';
import type { Route } from './router.js';

/** What the proxy needs of the fault table. */
export interface FaultSource {
  readonly size: number;
  match(service: string, caller: string): Fault | undefined;
}

/** The fault for this request, if its rule applies to it (each request rolls against the percentage). */
export function rolled(faults: FaultSource, route: Route, caller: string): Fault | null {
  const fault = faults.match(route.service, caller);
  if (fault === undefined || fault.percent <= 0) return null;
  return Math.random() * 100 < fault.percent ? fault : null;
}
