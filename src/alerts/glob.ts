/**
 * `*` matches any run of characters; everything else is literal. Case-sensitive, anchored.
 * Kept for callers outside src/alerts; it backtracks polynomially on many `*`s: prefer globMatcher.
 */
export function globToRegExp(glob: string): RegExp {
  const body = glob.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${body}$`);
}

/**
 * The same glob as a linear matcher (no regex): prefix, suffix, and the parts between stars
 * found leftmost in order, which is exact for `*`-only globs. Attacker-influenced inputs
 * (ifDescr, sysName) cannot make it backtrack.
 */
export function globMatcher(glob: string): (s: string) => boolean {
  const parts = glob.split('*');
  if (parts.length === 1) return (s) => s === glob;
  const first = parts[0];
  const last = parts[parts.length - 1];
  const middle = parts.slice(1, -1).filter((p) => p !== '');
  const minLength = first.length + last.length;
  return (s) => {
    if (s.length < minLength || !s.startsWith(first) || !s.endsWith(last)) return false;
    let at = first.length;
    const end = s.length - last.length;
    for (const p of middle) {
      const found = s.indexOf(p, at);
      if (found < 0 || found + p.length > end) return false;
      at = found + p.length;
    }
    return true;
  };
}

export function normaliseOid(oid: string): string {
  return oid.startsWith('.') ? oid.slice(1) : oid;
}
