/**
 * `meshdesk doctor`: why calls from this shell might miss the mesh. It checks the shell's own
 * environment (http_proxy set and pointing at this mesh, NO_PROXY not naming a service,
 * NODE_USE_ENV_PROXY, Java's proxy properties) and asks the mesh whether it answers, whether its
 * config has errors, and which local processes it has seen calling instances past the proxy.
 * Every problem comes with its fix. Exit code: 0 when nothing is wrong (notes allowed), 1 when
 * there is a problem, 3 when no mesh answers (EXIT_UNREACHABLE, as the other admin commands).
 */
import { Command } from 'commander';
import { AdminCallError, SignInRequiredError, type AdminClient } from '../../shared/admin-client.js';
import { addAdminAccessOptions, adminClient, EXIT_FAILED, EXIT_UNREACHABLE, type AdminAccessOptions } from './admin-access.js';
import { doctorChecks, type CheckStatus, type DoctorCheck, type MeshFacts } from './doctor-checks.js';
import { colour } from './output.js';

export function doctorCommand(): Command {
  return addAdminAccessOptions(
    new Command('doctor').description("check this shell's proxy settings and the mesh, and list processes calling services past the proxy"),
  ).action(async (options: AdminAccessOptions) => {
    const mesh = await askMesh(adminClient(options), options.adminUrl);
    const checks = doctorChecks(process.env, mesh);
    const problems = checks.filter((check) => check.status === 'problem').length;
    if (options.json) {
      console.log(
        JSON.stringify({ ok: problems === 0, adminUrl: mesh.adminUrl, proxyUrl: mesh.info?.proxyUrl ?? null, checks, bypasses: mesh.bypasses ?? [] }),
      );
    } else {
      console.log(`meshdesk doctor: this shell, and the mesh at ${mesh.adminUrl}`);
      for (const check of checks) console.log(formatCheck(check));
      console.log(problems === 0 ? 'no problems found' : `${problems} problem${problems === 1 ? '' : 's'} found`);
    }
    if (mesh.failure?.unreachable) process.exitCode = EXIT_UNREACHABLE;
    else if (problems > 0) process.exitCode = EXIT_FAILED;
  });
}

const LABELS: Record<CheckStatus, string> = { ok: colour('ok', 'green'), problem: colour('problem', 'red'), note: colour('note', 'yellow') };

/** `  problem  <message>` and, under it, `           fix: <fix>`. */
export function formatCheck(check: DoctorCheck): string {
  const label = `${LABELS[check.status]}${' '.repeat(9 - check.status.length)}`;
  return `${label}${check.message}${check.fix === null ? '' : `\n         fix: ${check.fix}`}`;
}

/** Everything the checks need from the mesh, or why it could not be asked (never throws). */
async function askMesh(client: AdminClient, adminUrl: string): Promise<MeshFacts> {
  const facts: MeshFacts = { adminUrl, failure: null, info: null, services: null, bypasses: null };
  try {
    const [info, services, bypasses] = await Promise.all([client.call('getInfo'), client.call('listServices'), client.call('listBypasses')]);
    return { ...facts, info, services: services.map((service) => service.name), bypasses };
  } catch (error) {
    if (error instanceof SignInRequiredError) {
      return {
        ...facts,
        failure: { message: `the mesh at ${adminUrl} refused the token (${error.message})`, fix: 'pass --token or --state-dir', unreachable: false },
      };
    }
    if (error instanceof TypeError && /fetch failed/.test(error.message)) {
      const fix = 'start one with `meshdesk serve` in your workspace (or pass --admin-url)';
      return { ...facts, failure: { message: `no mesh answers at ${adminUrl}`, fix, unreachable: true } };
    }
    // An older mesh without the bypass list still answers the rest.
    if (error instanceof AdminCallError && error.status === 404) {
      const [info, services] = await Promise.all([client.call('getInfo'), client.call('listServices')]).catch(() => [null, null] as const);
      if (info && services) return { ...facts, info, services: services.map((service) => service.name) };
    }
    return {
      ...facts,
      failure: { message: `the mesh at ${adminUrl} failed: ${error instanceof Error ? error.message : String(error)}`, fix: null, unreachable: false },
    };
  }
}
