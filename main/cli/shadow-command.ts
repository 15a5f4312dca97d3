/**
 * `meshdesk shadow`: start, stop and watch shadow traffic, a copy of the requests routed to one
 * version of a service sent to another while the caller only ever gets the first's answer
 * (shared/shadow.ts). Each flag is checked as it is parsed with the rule's own schema, so a bad
 * value is a one-line usage error here and the mesh, which parses the same schema, never disagrees.
 * Flags left out are left out of the request: the mesh applies the contract's defaults.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { mirroredMethods, SAFE_SHADOW_METHODS, shadowRuleSchema, type ShadowRuleInput, type ShadowView } from '../../shared/shadow.js';
import { addAdminAccessOptions, withAdmin, type AdminAccessOptions } from './admin-access.js';
import { colour, millis, table } from './output.js';

interface StartOptions extends AdminAccessOptions {
  to: string;
  from?: string;
  percent?: number;
  methods?: string[];
  ignoreHeader: string[];
}

export function shadowCommand(): Command {
  const shadow = new Command('shadow').description('copy a service’s traffic to another version and compare the answers (see them with `meshdesk diff`)');
  shadow.addCommand(
    addAdminAccessOptions(
      new Command('start')
        .description('start (or replace) the service’s shadow rule; callers keep getting the answers of the version they are routed to')
        .argument('<service>')
        .requiredOption('--to <version>', 'the version each copy is sent to')
        .option('--from <version>', 'only copy requests routed to this version (default: those routed to any version but --to)')
        .addOption(new Option('--percent <share>', 'share of those requests copied, e.g. 50 or 50% (default 100)').argParser(parseShadowPercent))
        .addOption(
          new Option('--methods <list>', `methods copied besides ${SAFE_SHADOW_METHODS.join(', ')}, e.g. POST,PUT: their side effects happen twice`).argParser(
            parseMethods,
          ),
        )
        .option('--ignore-header <name>', 'a response header left out of the comparison (repeat, or comma-separated)', collectHeaders, []),
    ).action((service: string, options: StartOptions) =>
      withAdmin(options, async (client) => {
        const view = await client.call('startShadow', ruleOf(service, options));
        if (options.json) return console.log(JSON.stringify(view));
        for (const line of describeStart(view)) console.log(line);
      }),
    ),
  );
  shadow.addCommand(
    addAdminAccessOptions(
      new Command('stop').description('stop copying the service’s traffic; its diffs stay until `meshdesk diff clear`').argument('<service>'),
    ).action((service: string, options: AdminAccessOptions) =>
      withAdmin(options, async (client) => {
        const left = await client.call('stopShadow', { service });
        if (options.json) return console.log(JSON.stringify(left));
        console.log(`stopped shadowing ${service}; its diffs stay until \`meshdesk diff clear ${service}\``);
      }),
    ),
  );
  shadow.addCommand(
    addAdminAccessOptions(new Command('status').description('the shadow rules in force, with what each copied and compared').argument('[service]')).action(
      (service: string | undefined, options: AdminAccessOptions) =>
        withAdmin(options, async (client) => {
          const views = (await client.call('listShadows')).filter((view) => !service || view.service === service);
          if (options.json) return console.log(JSON.stringify(views));
          console.log(statusText(views, service));
        }),
    ),
  );
  return shadow;
}

export function ruleOf(service: string, options: Omit<StartOptions, keyof AdminAccessOptions>): ShadowRuleInput {
  return {
    service,
    to: options.to,
    origin: 'cli',
    ...(options.from !== undefined ? { from: options.from } : {}),
    ...(options.percent !== undefined ? { percent: options.percent } : {}),
    ...(options.methods !== undefined ? { methods: options.methods } : {}),
    ...(options.ignoreHeader.length > 0 ? { ignoreHeaders: options.ignoreHeader } : {}),
  };
}

/** `50`, `50%` or `12.5`: checked against the rule's own limits (above 0, at most 100). */
export function parseShadowPercent(value: string): number {
  const text = value.trim().replace(/%$/, '');
  const share = text === '' ? NaN : Number(text);
  if (!Number.isFinite(share)) throw new InvalidArgumentError(`not a percentage: ${value} (e.g. 50 or 50%)`);
  const checked = shadowRuleSchema.shape.percent.safeParse(share);
  if (!checked.success) throw new InvalidArgumentError(checked.error.issues[0]?.message ?? `not a percentage: ${value}`);
  return share;
}

/** `POST,PUT` (any case): each a method name as the rule accepts it. */
export function parseMethods(value: string): string[] {
  const names = splitList(value);
  const checked = shadowRuleSchema.shape.methods.safeParse(names);
  if (!checked.success || names.length === 0) throw new InvalidArgumentError(`${checked.error?.issues[0]?.message ?? 'no method given'}: ${value}`);
  return checked.data;
}

function collectHeaders(value: string, previous: string[]): string[] {
  const names = splitList(value);
  if (names.length === 0) throw new InvalidArgumentError(`not a header name: ${value}`);
  return [...previous, ...names];
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

/** `v1 → v2`, or `any → v2` when the rule copies whatever was routed elsewhere than `to`. */
export function shadowRoute(view: Pick<ShadowView, 'from' | 'to'>): string {
  return `${view.from ?? 'any'} → ${view.to}`;
}

function describeStart(view: ShadowView): string[] {
  const routed = view.from ? `routed to ${view.from}` : `routed to any version but ${view.to}`;
  const answers = view.from ? `${view.from}’s answers` : 'the answers of the version they were routed to';
  const lines = [
    `shadowing ${view.service}: ${formatShare(view.percent)} of the ${mirroredMethods(view).join(', ')} requests ${routed} are copied to ${view.to}; callers only get ${answers}`,
  ];
  if (view.ignoreHeaders.length > 0) lines.push(`response headers left out of the comparison besides the usual ones: ${view.ignoreHeaders.join(', ')}`);
  if (view.warning) lines.push(colour(`warning: ${view.warning}`, 'yellow'));
  lines.push(`see what differs: meshdesk diff ${view.service}`);
  return lines;
}

export function statusText(views: readonly ShadowView[], service?: string): string {
  if (views.length === 0) {
    return service ? `${service} is not shadowed` : 'no shadow rules; start one with `meshdesk shadow start <service> --to <version>`';
  }
  const rows = views.map((view) => [
    view.service,
    shadowRoute(view),
    formatShare(view.percent),
    mirroredMethods(view).join(','),
    String(view.pairs),
    differingShare(view.differing, view.pairs),
    String(view.stats.dropped),
    String(view.stats.skipped),
    millis(view.stats.p50Ms),
    millis(view.stats.p99Ms),
  ]);
  const lines = [table(['SERVICE', 'FROM → TO', 'PERCENT', 'METHODS', 'COMPARED', 'DIFFERING', 'DROPPED', 'SKIPPED', 'SHADOW P50', 'SHADOW P99'], rows)];
  for (const view of views) if (view.warning) lines.push(colour(`${view.service}: warning: ${view.warning}`, 'yellow'));
  return lines.join('\n');
}

export function formatShare(percent: number): string {
  return `${Math.round(percent * 10) / 10}%`;
}

/** `25% (3)`: the share of compared pairs that differ outside noise, and how many; `-` before any. */
export function differingShare(differing: number, pairs: number): string {
  return pairs === 0 ? '-' : `${shareOf(differing, pairs)} (${differing})`;
}

export function shareOf(part: number, whole: number): string {
  return formatShare(whole === 0 ? 0 : (part / whole) * 100);
}
