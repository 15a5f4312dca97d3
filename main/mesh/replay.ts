/**
 * Replay: resend an exchange from the log through the mesh, optionally edited and optionally pinned
 * to a version. It goes through the real proxy listener, so it is routed, retried, measured and
 * logged like any request (as caller `replay`); the browser could not do this itself, because a
 * page cannot send through an HTTP proxy. An HTTP/2 call (gRPC) goes again as one (replay-h2.ts). Masked headers are left out (their values were never
 * kept), and a body the log cut short is refused rather than resent truncated.
 */
import type { ReplayInput, ReplayResult } from '../../shared/replay.js';
import { MASKED_VALUE, type Exchange } from '../../shared/exchange.js';
import { ROUTE_OVERRIDE_HEADER } from '../../shared/routes.js';
import { MeshError } from './mesh-error.js';
import { replayOverH2, type SentReplay } from './replay-h2.js';

/** Headers the proxy or the HTTP client sets itself. */
const NOT_REPLAYED = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'via',
  'x-meshdesk-caller',
  ROUTE_OVERRIDE_HEADER,
]);
const MAX_RESPONSE_BYTES = 1024 * 1024;

export interface ReplayContext {
  proxyUrl: string;
  /** The newest exchange the log holds from caller `replay`, to report which version answered. */
  newestReplay: () => Exchange | null;
}

export async function replay(original: Exchange, input: ReplayInput, context: ReplayContext): Promise<ReplayResult> {
  const before = context.newestReplay()?.id ?? 0;
  if (original.kind !== 'service') throw new MeshError(400, `exchange ${original.id} did not go to a registered service; only service traffic can be replayed`);
  const body = input.body ?? replayableBody(original);
  const headers: Record<string, string> = {};
  for (const [name, value] of input.headers ?? original.requestHeaders ?? []) {
    const lower = name.toLowerCase();
    // Pseudo-headers (an HTTP/2 call's :method, :path…) are set anew, like Host.
    if (NOT_REPLAYED.has(lower) || lower.startsWith(':') || value === MASKED_VALUE) continue;
    headers[lower] = value;
  }
  headers['x-meshdesk-caller'] = 'replay';
  if (input.version) headers[ROUTE_OVERRIDE_HEADER] = `${original.service}=${input.version}`;
  const method = input.method ?? original.method;
  const path = input.path ?? original.path;
  const started = performance.now();
  const payload = body === null ? null : Buffer.from(body.data, body.encoding);
  const sent =
    original.protocol === 'h2'
      ? await replayOverH2(context.proxyUrl, original.service, method, path, headers, payload, MAX_RESPONSE_BYTES)
      : await replayOverHttp1(context.proxyUrl, original.service, method, path, headers, payload);
  const text = sent.body.toString('utf8');
  const isText = Buffer.from(text, 'utf8').equals(sent.body);
  return {
    status: sent.status,
    headers: sent.headers,
    body: {
      encoding: isText ? 'utf8' : 'base64',
      data: isText ? text : sent.body.toString('base64'),
      size: sent.size,
      truncated: sent.size > MAX_RESPONSE_BYTES,
    },
    version: (await answeredBy(context, before)) ?? input.version ?? null,
    ms: performance.now() - started,
  };
}

/** Through the proxy as an http_proxy client: an absolute URI naming the service. */
async function replayOverHttp1(
  proxyUrl: string,
  service: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: Buffer | null,
): Promise<SentReplay> {
  // The whole of undici, loaded by the first replay rather than at start (undici-engine.ts).
  const { ProxyAgent, request } = await import('undici');
  const agent = new ProxyAgent(proxyUrl);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    const answer = await request(`http://${service}${path}`, { dispatcher: agent, method, headers, body });
    for await (const chunk of answer.body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size <= MAX_RESPONSE_BYTES) chunks.push(chunk);
    }
    const pairs = Object.entries(answer.headers).flatMap(([name, value]) =>
      Array.isArray(value) ? value.map((v) => [name, v] as [string, string]) : value === undefined ? [] : [[name, String(value)] as [string, string]],
    );
    return { status: answer.statusCode, headers: pairs, body: Buffer.concat(chunks), size };
  } finally {
    await agent.close();
  }
}

/** The version the replayed exchange went to, once the proxy has logged it (it does as it ends). */
async function answeredBy(context: ReplayContext, before: number): Promise<string | null> {
  for (let wait = 0; wait < 20; wait++) {
    const newest = context.newestReplay();
    if (newest && newest.id > before) return newest.version;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return null;
}

function replayableBody(original: Exchange): { data: string; encoding: 'utf8' | 'base64' } | null {
  const body = original.requestBody;
  if (body === null || body.size === 0) return null;
  if (body.truncated) throw new MeshError(409, `exchange ${original.id}'s request body was cut at capture (${body.size} bytes); send the body with the replay`);
  return { data: body.data, encoding: body.encoding };
}
