/**
 * The routes in force as Kubernetes Gateway API HTTPRoutes, for the service mesh (GAMMA): each
 * route attaches to its own Service (`parentRefs: [{ group: "", kind: Service }]`), which is how
 * Linkerd and Istio read routes between services. A pure function of the mesh's routes, so the
 * tests check its output with the Gateway API's published models.
 *
 * How each part of a route maps, in the order the mesh decides (router.ts, choose-version.ts):
 * - an alias sends everything to the other service: one rule, one backendRef to its Service;
 * - header rules become rules with header matches, in their order (Gateway API breaks ties between
 *   equally specific matches by list order, and a header match is more specific than none, so they
 *   win over the weights as they do here);
 * - weights become the last rule's backendRefs weights, one Service per version;
 * - `timeouts.request` and `retries` from meshdesk.yaml go on every rule; the mesh's defaults do not,
 *   because a cluster mesh has its own and only what the user declared is theirs to carry over.
 *
 * The types are the published models' own (a type-only import: nothing of it is bundled).
 */
import type { IHTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute';
import type { IHTTPRouteRule } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRouteRule';
import type { IHTTPRouteRetry } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRouteRetry';
import type { IHTTPBackendRef } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPBackendRef';
import type { IHTTPRouteMatch } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRouteMatch';
import type { ServiceConfig } from '../../../shared/config-schema.js';
import { backendServiceName } from '../../../shared/gateway-export.js';
import type { HeaderRule, Route } from '../../../shared/routes.js';
import { DEFAULT_RETRY } from '../resilience/service-policy.js';

/**
 * The Gateway API release whose models the tests validate with (@kubernetes-models/gateway-api,
 * generated from v1.5.1). In it, HTTPRoute `retry` (GEP-1731) is in the experimental channel only;
 * it joins the standard channel in v1.7.
 */
export const GATEWAY_API_VERSION = 'v1.5';

export type HttpRoute = IHTTPRoute;

export interface ExportedService {
  name: string;
  /** In declaration order: the first is where traffic goes without weights. */
  versions: readonly string[];
  /** The route in force; null: the default, everything to the first version. */
  route: Route | null;
  /** Versions only this machine has (a mock of a recording), left out with a note. */
  local?: readonly string[];
}

/** What meshdesk.yaml declares for a service, as it is written there. */
export interface DeclaredResilience {
  requestTimeoutMs?: number;
  retries?: ServiceConfig['retries'];
}

export interface HttpRouteOptions {
  namespace?: string;
  /** The Service name template of a version (shared/gateway-export.ts). */
  backendName: string;
  port: number;
  /** The timeouts and retries meshdesk.yaml declares for a service. */
  resilienceOf: (service: string) => DeclaredResilience;
}

/** One HTTPRoute and what the reader should know that its fields cannot say. */
export interface ExportedRoute {
  service: string;
  route: HttpRoute;
  notes: string[];
}

/** The 5xx codes HTTP defines: Gateway API lists retried codes one by one and has no "5xx". */
const DEFINED_5XX = [500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511];
const GATEWAY_ERRORS = [502, 503, 504];

/** Gateway API weights are whole numbers up to 1,000,000. */
const MAX_WEIGHT = 1_000_000;

export function httpRoutes(services: readonly ExportedService[], options: HttpRouteOptions): ExportedRoute[] {
  return services.map((service) => httpRoute(service, options));
}

function httpRoute(service: ExportedService, options: HttpRouteOptions): ExportedRoute {
  const notes: string[] = (service.local ?? []).map(
    (version) =>
      `${service.name}@${version} is a local mock of recorded traffic, with no Service in a cluster: left out, so its share goes to the other versions`,
  );
  const ref = (name: string): IHTTPBackendRef => ({ name, port: options.port });
  const backend = (version: string) => ref(backendServiceName(service.name, version, options.backendName));
  const route = service.route;
  const rules: IHTTPRouteRule[] = [];
  // The mesh applies the policy of the service that answers: an alias's target's.
  let policyOf = service.name;
  if (route?.alias !== undefined) {
    policyOf = route.alias;
    rules.push({ backendRefs: [ref(route.alias)] });
    notes.push(`an alias of ${route.alias}: its traffic goes to the Service ${route.alias}`);
  } else {
    for (const group of headerRuleGroups(route?.headerRules ?? [], service.versions)) {
      rules.push({ matches: group.rules.map(headerMatch), backendRefs: [backend(group.version)] });
    }
    rules.push({ backendRefs: weightedBackends(service, route, backend) });
  }
  const resilience = resilienceFields(options.resilienceOf(policyOf), notes);
  return {
    service: service.name,
    notes,
    route: {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: service.name, ...(options.namespace === undefined ? {} : { namespace: options.namespace }) },
      spec: {
        parentRefs: [{ group: '', kind: 'Service', name: service.name, port: options.port }],
        rules: rules.map((rule) => ({ ...rule, ...resilience })),
      },
    },
  };
}

/**
 * Header rules of versions the service has (the mesh skips the others), consecutive rules to the
 * same version folded into one rule: its matches are ORed, as the mesh's rules are.
 */
function headerRuleGroups(headerRules: readonly HeaderRule[], versions: readonly string[]): { version: string; rules: HeaderRule[] }[] {
  const groups: { version: string; rules: HeaderRule[] }[] = [];
  for (const rule of headerRules) {
    if (!versions.includes(rule.version)) continue;
    const last = groups.at(-1);
    if (last?.version === rule.version) last.rules.push(rule);
    else groups.push({ version: rule.version, rules: [rule] });
  }
  return groups;
}

/** A value must equal; without one, any request carrying the header matches (a regular expression). */
function headerMatch(rule: HeaderRule): IHTTPRouteMatch {
  return {
    headers: [rule.value === undefined ? { type: 'RegularExpression', name: rule.header, value: '.*' } : { name: rule.header, value: rule.value }],
  };
}

/**
 * The versions the weights name, in declaration order, weighted as the mesh weighs them; without
 * weights (or with all at 0), everything to the first version, as the mesh does.
 */
function weightedBackends(service: ExportedService, route: Route | null, backend: (version: string) => IHTTPBackendRef): IHTTPBackendRef[] {
  const weights = route?.weights ?? {};
  const named = service.versions.filter((version) => weights[version] !== undefined);
  const total = named.reduce((sum, version) => sum + (weights[version] ?? 0), 0);
  const first = service.versions[0];
  if (total === 0) return first === undefined ? [] : [backend(first)];
  // Runtime weights may have fractions (the admin API takes any number); Gateway API's are whole.
  const whole = named.every((version) => Number.isInteger(weights[version]));
  return named.map((version) => {
    const weight = weights[version] ?? 0;
    return { ...backend(version), weight: whole ? Math.min(weight, MAX_WEIGHT) : Math.round((weight / total) * 10_000) };
  });
}

function resilienceFields(declared: DeclaredResilience, notes: string[]): Pick<IHTTPRouteRule, 'timeouts' | 'retry'> {
  const fields: Pick<IHTTPRouteRule, 'timeouts' | 'retry'> = {};
  if (declared.requestTimeoutMs !== undefined) fields.timeouts = { request: gatewayDuration(declared.requestTimeoutMs) };
  if (declared.retries) fields.retry = retryOf(declared.retries, notes);
  return fields;
}

/**
 * meshdesk.yaml's `retries` as GEP-1731's `retry`. Connection failures need no code: an
 * implementation with a retry stanza retries them. What has no field is said in a note.
 */
function retryOf(retries: NonNullable<ServiceConfig['retries']>, notes: string[]): IHTTPRouteRetry {
  const on = retries.on ?? ['connect-failure', 'gateway-error'];
  const codes = new Set<number>();
  for (const item of on) {
    if (item === 'gateway-error') GATEWAY_ERRORS.forEach((code) => codes.add(code));
    else if (item === '5xx') DEFINED_5XX.forEach((code) => codes.add(code));
    else if (typeof item === 'number' && item >= 400) codes.add(item);
    else if (typeof item === 'number') notes.push(`retries on ${item} left out: Gateway API retries 4xx and 5xx codes only`);
  }
  if (on.includes('5xx')) notes.push('retries on 5xx: written as the 5xx codes HTTP defines');
  if (!on.includes('connect-failure')) notes.push('retries without connect-failure: Gateway API retries connection errors wherever retry is set');
  if (retries.budgetPercent !== undefined) {
    notes.push(`retries.budgetPercent ${retries.budgetPercent}%: no HTTPRoute field (retry budgets, GEP-3388, are still experimental)`);
  }
  const retry: IHTTPRouteRetry = { attempts: retries.attempts ?? DEFAULT_RETRY.attempts };
  if (codes.size > 0) retry.codes = [...codes].sort((a, b) => a - b);
  return retry;
}

/**
 * Milliseconds in Gateway API's duration format (GEP-2257): up to four parts of at most five
 * digits, largest unit first, e.g. `1m30s`, `2500ms` → `2s500ms`.
 */
export function gatewayDuration(ms: number): string {
  const parts: [number, string][] = [
    [Math.floor(ms / 3_600_000), 'h'],
    [Math.floor(ms / 60_000) % 60, 'm'],
    [Math.floor(ms / 1_000) % 60, 's'],
    [ms % 1_000, 'ms'],
  ];
  const text = parts
    .filter(([amount]) => amount > 0)
    .map(([amount, unit]) => `${amount}${unit}`)
    .join('');
  return text === '' ? '0s' : text;
}
