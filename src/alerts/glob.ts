/** `*` matches any run of characters; everything else is literal. Case-sensitive, anchored. */
export function globToRegExp(glob: string): RegExp {
  const body = glob.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${body}$`);
}

export function normaliseOid(oid: string): string {
  return oid.startsWith('.') ? oid.slice(1) : oid;
}
