/** Instance events (ejections, returns, panics) as one log line each, for the mesh's log. */
import type { InstanceEvent } from '../../../shared/events.js';

export function describeInstanceEvent(event: InstanceEvent): string {
  const where = `${event.service}@${event.version} ${event.instance}`;
  if (event.kind === 'ejected') {
    const seconds = event.until === null ? '' : ` for ${Math.round((event.until - event.at) / 1000)} s`;
    return `meshdesk: ejected ${where}${seconds} (ejection ${event.ejections}): ${event.reason}`;
  }
  if (event.kind === 'returned') return `meshdesk: ${where} is back in the pool: ${event.reason}`;
  return `meshdesk: warning: panic routing for ${event.service}@${event.version}: ${event.reason}`;
}
