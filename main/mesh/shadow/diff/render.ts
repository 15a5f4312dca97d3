/**
 * Short renderings of values for a Difference: enough to recognise the value in a list, never a
 * whole body (a pair keeps its bodies in its DiffSides for the side-by-side view).
 */

export const MAX_RENDERED_CHARS = 120;

/** `text` cut to MAX_RENDERED_CHARS, ending with … when cut. */
export function cut(text: string, max = MAX_RENDERED_CHARS): string {
  return text.length <= max ? text : text.slice(0, max - 1) + '…';
}

/** A JSON value as JSON text (so `"1"` and `1` read apart), cut; null for a value that is absent. */
export function renderJson(value: unknown): string | null {
  if (value === undefined) return null;
  try {
    return cut(JSON.stringify(value));
  } catch {
    // Only nesting deeper than the stack allows makes stringify throw on parsed JSON.
    return Array.isArray(value) ? '[…]' : '{…}';
  }
}
