/**
 * `meshdesk export gateway-api`: the running mesh's routes in force as Kubernetes Gateway API
 * HTTPRoutes (GAMMA), on stdout for `| kubectl apply -f -`, or written to a file. The mesh computes
 * the YAML (the admin API's exportGatewayApi), so the CLI and the dashboard export the same text.
 */
import { writeFile } from 'node:fs/promises';
import { Command, InvalidArgumentError, Option } from 'commander';
import { backendNameSchema, DEFAULT_BACKEND_NAME, DEFAULT_SERVICE_PORT } from '../../shared/gateway-export.js';
import { addAdminAccessOptions, withAdmin, type AdminAccessOptions } from './admin-access.js';
import { parsePort } from './options.js';

interface GatewayApiOptions extends AdminAccessOptions {
  namespace?: string;
  service?: string;
  backendName: string;
  port: number;
  out?: string;
}

export function exportCommand(): Command {
  const exportRoutes = new Command('export').description('write the routes in force for another platform');
  exportRoutes.addCommand(
    addAdminAccessOptions(
      new Command('gateway-api')
        .description('Kubernetes Gateway API HTTPRoutes (GAMMA: attached to each Service), e.g. `export gateway-api --namespace dev | kubectl apply -f -`')
        .option('--namespace <namespace>', "the routes' namespace (default: none written, kubectl's current one)")
        .option('--service <service>', 'only this service (default: every registered service)')
        .addOption(
          new Option('--backend-name <template>', 'the Service of each version; the version "default" is the service\'s own Service')
            .argParser(backendName)
            .default(DEFAULT_BACKEND_NAME),
        )
        .addOption(new Option('--port <port>', "the Services' port in the cluster").argParser(parsePort).default(DEFAULT_SERVICE_PORT))
        .option('-o, --out <file>', 'write to this file instead of stdout'),
    ).action((options: GatewayApiOptions) =>
      withAdmin(options, async (client) => {
        const exported = await client.call('exportGatewayApi', {
          backendName: options.backendName,
          port: options.port,
          ...(options.namespace === undefined ? {} : { namespace: options.namespace }),
          ...(options.service === undefined ? {} : { service: options.service }),
        });
        if (options.json) console.log(JSON.stringify(exported));
        else if (options.out === undefined) process.stdout.write(exported.yaml);
        if (options.out !== undefined) {
          await writeFile(options.out, exported.yaml);
          if (!options.json)
            console.log(`meshdesk: ${exported.services.length} HTTPRoute(s) written to ${options.out} (${exported.services.join(', ') || 'no services'})`);
        }
      }),
    ),
  );
  return exportRoutes;
}

function backendName(value: string): string {
  const parsed = backendNameSchema.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError(`--backend-name ${value}: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
  return parsed.data;
}
