/**
 * Splits a Server-Sent Events stream into messages, in time linear in its length. The push stream's
 * batches are large (a few hundred request rows, 150–400 KB each) and reach the reader in many
 * chunks: appending each chunk to one string and searching the whole of it again for the blank line
 * flattened and rescanned the batch once per chunk. An attached reader (`meshdesk top`, the
 * benchmark's dashboard) then spent more of its time there than in JSON.parse (37% of its CPU
 * against 14%, measured 2026-12-07). Here each chunk is searched once, where it is new, and a
 * message's chunks are joined once.
 *
 * What a message carries follows the SSE format as the mesh writes it (push-stream.ts): `field: value`
 * lines, `data` lines joined by newlines, comment lines (`:`) and unknown fields ignored.
 */

export interface SseMessage {
  /** The `event:` field; SSE's default is "message". */
  event: string;
  data: string;
}

export class SseSplitter {
  /** Text of the message not ended yet; when it ends with a newline, a newline first in the next chunk ends it. */
  private parts: string[] = [];

  /** Text of the stream, in order; returns the messages it completes. */
  push(text: string): SseMessage[] {
    const messages: SseMessage[] = [];
    let start = 0;
    if (this.parts.at(-1)?.endsWith('\n') && text.startsWith('\n')) {
      this.take(messages, this.parts.join('').slice(0, -1));
      start = 1;
    }
    for (let end = text.indexOf('\n\n', start); end >= 0; end = text.indexOf('\n\n', start)) {
      this.take(messages, this.parts.join('') + text.slice(start, end));
      start = end + 2;
    }
    const rest = start === 0 ? text : text.slice(start);
    if (rest.length > 0) this.parts.push(rest);
    return messages;
  }

  private take(messages: SseMessage[], text: string): void {
    this.parts = [];
    const message = parseMessage(text);
    if (message) messages.push(message);
  }
}

/** One message's fields; null when it has no data (a comment, or `retry:` alone). */
export function parseMessage(text: string): SseMessage | null {
  let event = 'message';
  let data: string | null = null;
  for (let start = 0; start <= text.length;) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
    start = end + 1;
    const colon = line.indexOf(':');
    if (colon === 0) continue;
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(line.charCodeAt(colon + 1) === 32 ? colon + 2 : colon + 1);
    if (field === 'event') event = value;
    else if (field === 'data') data = data === null ? value : `${data}\n${value}`;
  }
  return data === null ? null : { event, data };
}
