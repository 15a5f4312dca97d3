/**
 * How a captured body is shown: JSON pretty-printed, text as it is, anything else as a hex dump,
 * with what the capture limit cut said plainly. Pure functions of the wire body (exchange.ts: text
 * when the bytes were UTF-8, else base64), so the detail pane only renders what they return.
 */
import type { WireBody } from '../../../shared/exchange.js';

export type BodyView = { kind: 'none' } | { kind: 'json' | 'text'; text: string; note: string | null } | { kind: 'hex'; text: string; note: string | null };

/** Bytes shown in a hex dump at most (a dump is about four times the size of its bytes). */
const HEX_LIMIT = 16 * 1024;

export function bodyView(body: WireBody | null, contentType: string | undefined): BodyView {
  if (!body || (body.size === 0 && body.data === '')) return { kind: 'none' };
  const note = cutNote(body);
  if (body.encoding === 'base64') {
    const bytes = base64ToBytes(body.data);
    const shown = bytes.subarray(0, HEX_LIMIT);
    const more = bytes.length > shown.length ? `${note ? `${note}; ` : ''}the dump shows the first ${shown.length} bytes` : note;
    return { kind: 'hex', text: hexDump(shown), note: more };
  }
  if (looksLikeJson(body.data, contentType) && !body.truncated) {
    try {
      return { kind: 'json', text: JSON.stringify(JSON.parse(body.data), null, 2), note };
    } catch {
      // Not JSON after all: shown as text.
    }
  }
  return { kind: 'text', text: body.data, note };
}

/** What the capture limit cut, in words, or null when the body is whole. */
export function cutNote(body: WireBody): string | null {
  if (!body.truncated) return null;
  return `cut at the capture limit: ${keptBytes(body)} of ${body.size} bytes captured`;
}

export function keptBytes(body: WireBody): number {
  return body.encoding === 'utf8' ? new TextEncoder().encode(body.data).length : base64ToBytes(body.data).length;
}

export function base64ToBytes(data: string): Uint8Array {
  const binary = atob(data);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** `00000010  48 65 6c 6c 6f 0a …  |Hello.|`, sixteen bytes a line, as `hexdump -C` prints them. */
export function hexDump(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let offset = 0; offset < bytes.length; offset += 16) {
    const chunk = bytes.subarray(offset, offset + 16);
    const hex = [...chunk].map((byte) => byte.toString(16).padStart(2, '0'));
    const left = hex.slice(0, 8).join(' ');
    const right = hex.slice(8).join(' ');
    const ascii = [...chunk].map((byte) => (byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.')).join('');
    lines.push(`${offset.toString(16).padStart(8, '0')}  ${left.padEnd(23)}  ${right.padEnd(23)}  |${ascii}|`);
  }
  return lines.join('\n');
}

function looksLikeJson(text: string, contentType: string | undefined): boolean {
  if (contentType && /[/+]json\b/i.test(contentType)) return true;
  return /^\s*[[{]/.test(text);
}
