/**
 * What InfluxDB's v1 /query answers look like (1.x, and 2.x/3.x through their v1 endpoints):
 * `{"results":[{"statement_id":0,"series":[{"name":…,"tags":…,"columns":[…],"values":[[…],…]}]}]}`.
 * `series` is left out when nothing matched, `values` may be left out of an empty series (omitempty).
 */

/** what is wrong with a parsed answer (statement errors already handled), or undefined when it has InfluxDB's shape */
export function answerProblem(doc: unknown): string | undefined {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return 'not a JSON object';
  const results = (doc as { results?: unknown }).results;
  if (!Array.isArray(results)) return 'no "results" array';
  for (const result of results) {
    if (typeof result !== 'object' || result === null) return 'a result that is not an object';
    const series = (result as { series?: unknown }).series;
    if (series === undefined) continue;
    if (!Array.isArray(series)) return '"series" is not an array';
    for (const s of series) {
      const name = typeof s?.name === 'string' ? ` "${s.name}"` : '';
      if (!Array.isArray(s?.columns)) return `series${name} without "columns"`;
      if (s.values !== undefined && !(Array.isArray(s.values) && s.values.every(Array.isArray))) return `series${name} whose "values" are not rows`;
    }
  }
  return undefined;
}

const EXCERPT_CHARS = 100;

/** the start of a body for an error message, quoted (control characters escaped), `secrets` masked */
export function excerpt(body: string, secrets: readonly string[] = []): string {
  // a little more than shown, so that a secret across the cut is masked whole
  const read = body.slice(0, EXCERPT_CHARS + Math.max(0, ...secrets.map((s) => s.length)));
  const masked = maskSecrets(read, secrets);
  const cut = masked.length > EXCERPT_CHARS || body.length > read.length;
  return JSON.stringify(masked.slice(0, EXCERPT_CHARS)) + (cut ? ` … (${body.length} characters)` : '');
}

/** `text` with every occurrence of each secret replaced by `***` (mask before cutting, so no secret is left half shown) */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  let masked = text;
  for (const secret of secrets) masked = masked.split(secret).join('***');
  return masked;
}
