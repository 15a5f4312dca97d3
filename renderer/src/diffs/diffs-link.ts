/** The Diffs page's address for one service (`#/diffs?service=world`), as the panel's "Open diffs" links it. */
import { hrefFor } from '../navigation.js';

export const DIFFS_SERVICE_PARAM = 'service';

export function diffsHref(service: string | null): string {
  return service === null ? hrefFor('diffs') : hrefFor('diffs', { [DIFFS_SERVICE_PARAM]: service });
}
