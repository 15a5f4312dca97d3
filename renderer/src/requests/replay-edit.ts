/**
 * The replay form's edits turned into the replay operation's input (shared/replay.ts): only what
 * the user changed is sent, so an unedited replay is "the same request again" and the mesh fills
 * in the rest from its log. Headers are edited as text, one `Name: value` a line.
 */
import type { Exchange } from '../../../shared/exchange.js';
import type { ReplayInput } from '../../../shared/replay.js';

export interface ReplayEdits {
  /** '' routes as usual. */
  version: string;
  method: string;
  path: string;
  headersText: string;
  /** null: the body is binary and is sent unchanged. */
  bodyText: string | null;
}

export function initialEdits(original: Exchange): ReplayEdits {
  return {
    version: '',
    method: original.method,
    path: original.path,
    headersText: headersToText(original.requestHeaders ?? []),
    bodyText: original.requestBody?.encoding === 'base64' ? null : (original.requestBody?.data ?? ''),
  };
}

export function headersToText(headers: readonly (readonly [string, string])[]): string {
  return headers.map(([name, value]) => `${name}: ${value}`).join('\n');
}

export function textToHeaders(text: string): { headers: [string, string][]; errors: string[] } {
  const headers: [string, string][] = [];
  const errors: string[] = [];
  text.split('\n').forEach((line, index) => {
    if (!line.trim()) return;
    const colon = line.indexOf(':');
    const name = colon < 0 ? '' : line.slice(0, colon).trim();
    if (!/^[!#$%&'*+.^_`|~\w-]+$/.test(name)) errors.push(`line ${index + 1}: write a header as Name: value`);
    else headers.push([name, line.slice(colon + 1).trim()]);
  });
  return { headers, errors };
}

export function replayInput(original: Exchange, edits: ReplayEdits): { input: ReplayInput; errors: string[] } {
  const input: ReplayInput = { id: original.id };
  const errors: string[] = [];
  if (edits.version) input.version = edits.version;
  if (edits.method.trim().toUpperCase() !== original.method) input.method = edits.method.trim().toUpperCase();
  if (edits.path !== original.path) {
    if (!edits.path.startsWith('/')) errors.push('the path starts with /');
    input.path = edits.path;
  }
  if (edits.headersText !== headersToText(original.requestHeaders ?? [])) {
    const parsed = textToHeaders(edits.headersText);
    errors.push(...parsed.errors);
    input.headers = parsed.headers;
  }
  if (edits.bodyText !== null && edits.bodyText !== (original.requestBody?.data ?? '')) input.body = { encoding: 'utf8', data: edits.bodyText };
  return { input, errors };
}
