/** `meshdesk route`: show a service's route, send it all to a version (optionally guarded), split it by weights, roll back. */
import { Command, InvalidArgumentError } from 'commander';
import type { AdminClient } from '../../shared/admin-client.js';
import type { RerouteInput, ServiceRoute, Weights } from '../../shared/routes.js';
import { addAdminAccessOptions, EXIT_FAILED, withAdmin, type AdminAccessOptions } from './admin-access.js';
import { table } from './output.js';
import { addGuardOptions, describeGuard, guardOf, waitForGuard, type GuardOptions } from './route-guard-options.js';

export function routeCommand(): Command {
  const route = new Command('route').description('show and change how traffic is split between versions');
  route.addCommand(
    addAdminAccessOptions(new Command('show').description('the route in force per service').argument('[service]')).action(
      (service: string | undefined, options: AdminAccessOptions) =>
        withAdmin(options, async (client) => {
          const routes = (await client.call('listRoutes')).filter((row) => !service || row.service === service);
          if (service && routes.length === 0) throw new Error(`unknown service ${service}`);
          print(routes, options);
        }),
    ),
  );
  route.addCommand(
    addGuardOptions(
      addAdminAccessOptions(new Command('all-to').description('send all of a service’s traffic to one version').argument('<service>').argument('<version>')),
    ).action((service: string, version: string, options: AdminAccessOptions & GuardOptions) =>
      withAdmin(options, (client) => reroute(client, { service, version, origin: 'cli' }, options)),
    ),
  );
  route.addCommand(
    addGuardOptions(
      addAdminAccessOptions(
        new Command('set')
          .description('split traffic by weights, e.g. `route set world v1=80 v2=20`')
          .argument('<service>')
          .argument('<weights...>', 'version=weight pairs'),
      ),
    ).action((service: string, pairs: string[], options: AdminAccessOptions & GuardOptions) =>
      withAdmin(options, (client) => reroute(client, { service, weights: parseWeights(pairs), origin: 'cli' }, options)),
    ),
  );
  route.addCommand(
    addAdminAccessOptions(new Command('rollback').description('restore the route in force before the last change').argument('<service>')).action(
      (service: string, options: AdminAccessOptions) => withAdmin(options, async (client) => print([await client.call('rollback', { service })], options)),
    ),
  );
  return route;
}

/** One reroute, guarded when a guard flag is given; with --wait, prints the guard's outcome too. */
async function reroute(client: AdminClient, input: RerouteInput, options: AdminAccessOptions & GuardOptions): Promise<void> {
  const guard = guardOf(options);
  const answer = await client.call('reroute', guard ? { ...input, guard } : input);
  if (!options.wait || !answer.guard) return print([answer], options);
  if (!options.json) print([answer], options);
  const ended = await waitForGuard(client, input.service);
  print([ended], options);
  if (ended.guard?.state === 'rolled-back') process.exitCode = EXIT_FAILED;
}

export function parseWeights(pairs: readonly string[]): Weights {
  const weights: Weights = {};
  for (const pair of pairs) {
    const match = /^([^=]+)=(\d+(?:\.\d+)?)$/.exec(pair);
    if (!match?.[1] || !match[2]) throw new InvalidArgumentError(`not a version=weight pair: ${pair}`);
    weights[match[1]] = Number(match[2]);
  }
  return weights;
}

function print(routes: ServiceRoute[], options: AdminAccessOptions): void {
  if (options.json) {
    console.log(JSON.stringify(routes));
    return;
  }
  const rows = routes.flatMap((route) =>
    route.versions.map((version, index) => [
      index === 0 ? route.service : '',
      version,
      `${Math.round((route.effectiveWeights[version] ?? 0) * 1000) / 10}%`,
      index === 0 ? describe(route) : '',
    ]),
  );
  console.log(table(['SERVICE', 'VERSION', 'SHARE', 'ROUTE'], rows));
  for (const route of routes) if (route.guard) console.log(`${route.service}: ${describeGuard(route.guard)}`);
}

function describe(route: ServiceRoute): string {
  const parts: string[] = [];
  if (!route.route) parts.push('default (first version)');
  if (route.route?.alias) parts.push(`alias of ${route.route.alias}`);
  if (route.route?.weights) parts.push('weights');
  if (route.route && route.route.headerRules.length > 0) parts.push(`${route.route.headerRules.length} header rule(s)`);
  const last = route.history[0];
  if (last) parts.push(`changed ${last.at} by ${last.origin}${last.reason ? ` (${last.reason})` : ''}`);
  return parts.join(', ');
}
