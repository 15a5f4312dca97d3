/**
 * Reads the admin push stream (Server-Sent Events) from Node, for `tap` and `top`. The format is
 * simple enough that a small parser beats a dependency: events are separated by a blank line and
 * carry their JSON on one `data:` line (sse-messages.ts splits them).
 *
 * Every batch is parsed with the contract's schema. A batch that does not fit ends the stream with
 * a PushBatchError (the commands print its one line and exit 1) rather than being skipped: it
 * means this CLI and the mesh disagree on the contract, and every later batch would fail the same
 * way, or be shown wrong.
 */
import { ADMIN_PATHS } from '../../shared/api.js';
import { parsePushBatch, PUSH_REQUESTS_PARAM, SSE_EVENT, type PushBatch, type PushRequestsScope } from '../../shared/push.js';
import { SseSplitter } from './sse-messages.js';

/** The push stream's address, asking for request events in the given form. */
export function pushStreamUrl(adminUrl: string, requests: PushRequestsScope = 'full'): URL {
  const url = new URL(ADMIN_PATHS.events, adminUrl);
  if (requests !== 'full') url.searchParams.set(PUSH_REQUESTS_PARAM, requests);
  return url;
}

export async function* pushBatches(
  adminUrl: string,
  token: string | null,
  signal?: AbortSignal,
  requests: PushRequestsScope = 'full',
): AsyncGenerator<PushBatch> {
  const response = await fetch(pushStreamUrl(adminUrl, requests), {
    headers: { accept: 'text/event-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(signal ? { signal } : {}),
  });
  if (response.status === 401) throw new Error('the mesh refused the token; pass --token or --state-dir');
  if (!response.ok || !response.body) throw new Error(`the push stream answered ${response.status}`);
  const decoder = new TextDecoder();
  const splitter = new SseSplitter();
  for await (const chunk of response.body) {
    for (const message of splitter.push(decoder.decode(chunk as Uint8Array, { stream: true }))) {
      if (message.event === SSE_EVENT) yield parsePushBatch(message.data);
    }
  }
}
