/**
 * "Copy as curl": a command that sends the exchange's request again through the mesh
 * (`curl -x <proxy>`), so it is routed, logged and measured like the original.
 *
 * Left out on purpose: headers the proxy or curl write themselves (hop-by-hop, Host, Content-Length,
 * the proxy's Via and X-Forwarded-*), and masked values — a "[masked]" Authorization would only
 * fail; the command says in a comment which headers it left out, so the user can add them. Values
 * are single-quoted for POSIX shells. A binary body is decoded from base64 by the shell and piped
 * in, because a shell argument cannot hold every byte.
 */
import { MASKED_VALUE, type Exchange } from '../../../shared/exchange.js';
import { exchangeUrl } from '../../../shared/har.js';

const NOT_SENT = new Set([
  'host',
  'content-length',
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'via',
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-host',
]);

export interface CurlOptions {
  proxyUrl: string;
  /** Send the value of every header as given, even one that says it is masked (revealed ones). */
  includeMasked?: boolean;
}

export type CurlSource = Pick<Exchange, 'method' | 'service' | 'path' | 'requestHeaders' | 'requestBody'>;

export function curlCommand(exchange: CurlSource, options: CurlOptions): string {
  const args = ['curl', '-x', quote(options.proxyUrl)];
  // curl -X HEAD would wait for a body that never comes; --head is how curl sends HEAD.
  if (exchange.method === 'HEAD') args.push('--head');
  else if (exchange.method !== 'GET' || exchange.requestBody) args.push('-X', quote(exchange.method));
  args.push(quote(exchangeUrl(exchange)));
  const headers = exchange.requestHeaders ?? [];
  const masked: string[] = [];
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    if (NOT_SENT.has(lower)) continue;
    if (value === MASKED_VALUE && !options.includeMasked) {
      masked.push(lower);
      continue;
    }
    // `Name;` is curl's way to send a header with an empty value.
    args.push('-H', quote(value === '' ? `${name};` : `${name}: ${value}`));
  }
  const body = exchange.requestBody;
  const sent = new Set(headers.map(([name]) => name.toLowerCase()));
  // curl adds these unless told not to (`Name:`); the original did not send them.
  if (exchange.requestHeaders) {
    for (const name of ['User-Agent', 'Accept', ...(body && body.size > 0 ? ['Content-Type'] : [])]) {
      if (!sent.has(name.toLowerCase())) args.push('-H', quote(`${name}:`));
    }
  }
  const notes: string[] = [];
  if (masked.length > 0) notes.push(`# masked by the mesh and left out: ${masked.join(', ')}`);
  let pipe = '';
  if (body && body.size > 0) {
    if (body.truncated) notes.push(`# the body was cut at the capture limit: this sends its first part only (${body.size} bytes in all)`);
    if (body.encoding === 'utf8') args.push('--data-binary', quote(body.data));
    else {
      pipe = `printf '%s' ${quote(body.data)} | base64 -d | `;
      args.push('--data-binary', '@-');
    }
  }
  return [...notes, `${pipe}${args.join(' ')}`].join('\n');
}

/** POSIX single quoting: safe for any text, including quotes and newlines. */
export function quote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
