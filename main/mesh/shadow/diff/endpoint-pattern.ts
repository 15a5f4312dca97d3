/**
 * An endpoint is its method and its path pattern: `/users/42/orders?x=1` and `/users/7/orders`
 * are both `/users/{id}/orders`, so that their pairs are counted, and their noise learnt, together.
 * A segment is an id when it looks generated rather than written: all digits, a UUID, a long hex
 * string, or a long run of mixed letters and digits without a word in it. gRPC paths
 * (`/pkg.Service/Method`) name a method, never an id, and are left as they are.
 */

export const ID_SEGMENT = '{id}';

const DIGITS = /^\d+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** 12 hex digits or more with a digit among them (a word such as `acceded` has none). */
const LONG_HEX = /^(?=.*\d)[0-9a-f]{12,}$/i;
/** Generated ids (ULIDs, nanoids, `cus_J8x9Lk2mNpQr`): long, letters and digits mixed. */
const LONG_TOKEN = /^(?=.*\d)(?=.*[A-Za-z])[\w-]{16,}$/;
/** Five lower-case letters in a row: a word, as in `report-2024-summary`, which is a slug, not an id. */
const WORD = /[a-z]{5}/;
const GRPC_PATH = /^\/[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*\/[A-Za-z_][\w]*$/;

export function pathPattern(path: string): string {
  const end = path.search(/[?#]/);
  const bare = end === -1 ? path : path.slice(0, end);
  if (bare === '') return '/';
  if (GRPC_PATH.test(bare) && bare.indexOf('.') !== -1) return bare;
  return bare
    .split('/')
    .map((segment) => (looksLikeId(segment) ? ID_SEGMENT : segment))
    .join('/');
}

function looksLikeId(segment: string): boolean {
  if (segment === '') return false;
  return DIGITS.test(segment) || UUID.test(segment) || LONG_HEX.test(segment) || (LONG_TOKEN.test(segment) && !WORD.test(segment));
}
