import type { core } from 'zod';

type Issue = core.$ZodIssue;

/** `['devices', 3, 'credentials']` → `devices[3].credentials` */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || '(top level)';
}

/**
 * One line per problem, `path: what was expected`. Never echoes an input value (it may be a
 * secret): zod's own messages name types and allowed values only; ours are built the same way.
 */
export function formatIssues(issues: readonly Issue[], allowedKeys: (path: readonly PropertyKey[]) => string[] | undefined): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const allowed = allowedKeys(issue.path) ?? [];
      for (const key of issue.keys) lines.push(`${formatPath([...issue.path, key])}: ${unknownKeyMessage(key, allowed)}`);
      continue;
    }
    if (issue.code === 'invalid_union' && issue.errors.length && depth(issue.errors.flat()) > 0) {
      // report the branch that got furthest: its first issue
      const best = [...issue.errors].sort((a, b) => depth(b) - depth(a))[0];
      lines.push(...formatIssues(best.map((i) => ({ ...i, path: [...issue.path, ...i.path] })), allowedKeys));
      continue;
    }
    lines.push(`${formatPath(issue.path)}: ${describe(issue)}`);
  }
  return [...new Set(lines)];
}

/** what a value is without what it says: src/model's, for the duration messages there too */
export { shapeOf } from '../model/shape-of.ts';

export function unknownKeyMessage(key: string, allowed: readonly string[]): string {
  const near = closest(key, allowed);
  const hint = near ? `; did you mean "${near}"?` : allowed.length ? `; expected one of ${allowed.join(', ')}` : '';
  return `unknown key${hint}`;
}

function depth(issues: readonly Issue[]): number {
  return Math.max(0, ...issues.map((i) => i.path.length));
}

function describe(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type': {
      const got = (issue as { input?: unknown }).input;
      if (got === undefined) return `required (expected ${issue.expected})`;
      const kind = got === null ? 'null' : Array.isArray(got) ? 'a list' : typeof got === 'object' ? 'a mapping' : `a ${typeof got}`;
      const quote = issue.expected === 'string' && (typeof got === 'number' || typeof got === 'boolean') ? ' (quote it: YAML reads it as a ' + typeof got + ')' : '';
      return `expected ${article(issue.expected)}, got ${kind}${quote}`;
    }
    case 'invalid_value':
      return `expected ${issue.values.length === 1 ? JSON.stringify(issue.values[0]) : `one of ${issue.values.map((v) => String(v)).join(', ')}`}`;
    default:
      return issue.message;
  }
}

function article(t: string): string {
  if (t === 'object') return 'a mapping';
  if (t === 'array') return 'a list';
  if (t === 'int') return 'an integer';
  return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
}

/** The allowed key within edit distance 2 (typos), if any. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}
