/**
 * A difference's field with its array indexes turned into [*]: `body.items[3].ts` and
 * `body.items[7].ts` are the same field of an endpoint's answers. Noise is learnt and matched by
 * this form, and differences repeated along an array are capped by it.
 */
export function fieldPattern(field: string): string {
  return field.includes('[') ? field.replace(/\[\d+\]/g, '[*]') : field;
}
