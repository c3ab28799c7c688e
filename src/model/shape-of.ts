/**
 * What a value is without what it says (`a string of 12 characters`, `a number`), for messages
 * about a string that may be a secret: given in the wrong field, swapped with its neighbour, or
 * substituted from `${NAME}`. Numbers may be quoted (a number is a literal in the file; secrets
 * are strings and `${NAME}` gives a string), and so may names (of devices, profiles, channels,
 * windows), IANAifType names, interface label patterns and CORS origins, which are never secret.
 */
export function shapeOf(v: unknown): string {
  if (typeof v === 'string') return v.length === 0 ? 'an empty string' : `a string of ${v.length} character${v.length === 1 ? '' : 's'}`;
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'boolean') return 'true/false';
  return `a ${typeof v}`;
}
