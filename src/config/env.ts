/**
 * `"${NAME}"` anywhere in a string value is replaced by the environment variable NAME
 * (`$${NAME}` stays a literal `${NAME}`). A missing variable is a problem naming the field
 * and the variable, never a value. Keys in RESERVED_KEYS are refused here, on the way into the tree.
 */
const REF = /\$(\$?)\{([^}]*)\}/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** keys that reach into JavaScript objects' prototypes wherever a key becomes a property name */
const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export function substituteEnv(value: unknown, env: Record<string, string | undefined>, problems: string[], path = ''): unknown {
  if (typeof value === 'string') {
    if (!value.includes('${')) return value;
    return value.replace(REF, (whole, escaped: string, name: string) => {
      if (escaped) return whole.slice(1);
      if (!NAME.test(name)) {
        problems.push(`${path || '(top level)'}: "\${${name}}" is not a valid environment variable reference (use \${NAME} with letters, digits, _)`);
        return '';
      }
      const v = env[name];
      if (v === undefined) {
        problems.push(`${path || '(top level)'}: environment variable ${name} is not set`);
        return '';
      }
      return v;
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => substituteEnv(v, env, problems, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const at = path ? `${path}.${k}` : k;
      // never assigned: `out.__proto__ = …` would swap the prototype and hide the keys from the schema
      if (RESERVED_KEYS.has(k)) problems.push(`${at}: "${k}" is a reserved key, not allowed in the config`);
      else out[k] = substituteEnv(v, env, problems, at);
    }
    return out;
  }
  return value;
}
