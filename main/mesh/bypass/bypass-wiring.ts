/**
 * What the mesh hands the bypass watcher and says of what it finds: the registry's instances as the
 * watcher reads them, the push of every change, and the log line a new bypass gets (`meshdesk
 * serve` prints it).
 */
import type { Bypass } from '../../../shared/bypass.js';
import type { Registry } from '../registry/registry.js';
import type { BypassWatcher, WatchedInstance } from './bypass-watcher.js';

/** Starts watching: only while instances are registered (the timer follows the registry). */
export function watchBypasses(
  watcher: BypassWatcher,
  registry: Pick<Registry, 'onChange'>,
  publish: (bypasses: Bypass[]) => void,
  log: (line: string) => void,
): void {
  registry.onChange(() => watcher.refresh());
  watcher.onChange((bypasses, added) => {
    for (const bypass of added) log(describeBypass(bypass));
    publish(bypasses);
  });
  watcher.refresh();
}

export function watchedInstances(registry: Pick<Registry, 'list'>): WatchedInstance[] {
  return registry.list().flatMap((service) =>
    service.versions.flatMap((version) =>
      version.instances.map((instance) => ({
        service: service.name,
        version: version.name,
        address: instance.address,
        host: instance.host,
        port: instance.port,
      })),
    ),
  );
}

/** `meshdesk: bypass node pid 4242 -> world@v1 127.0.0.1:7002, past the proxy: likely …; fix: …` */
export function describeBypass(bypass: Bypass): string {
  return `meshdesk: bypass ${bypass.caller} -> ${bypass.service}@${bypass.version} ${bypass.instances.join(', ')}, past the proxy: ${bypass.reason}; fix: ${bypass.fix}`;
}
