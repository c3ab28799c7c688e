/** Credential profiles: v1/v2c communities and v3 users, normalized to src/model's canonical names. */
import { z } from 'zod';
import type { AuthProtocol, Credential, PrivProtocol, SecurityLevel, V3Credential } from '../model/credentials.ts';
import { MIN_KEY_LENGTH, normalizeAuthProtocol, normalizePrivProtocol } from './credential-support.ts';
import { nonEmpty } from './primitives.ts';
import { unknownKeyMessage } from './issues.ts';

const LEVELS = ['noAuthNoPriv', 'authNoPriv', 'authPriv'] as const;

export const v3UserFields = {
  user: nonEmpty(),
  level: z.enum(LEVELS),
  authProtocol: z.string().optional(),
  /** secret */
  authKey: z.string().optional(),
  privProtocol: z.string().optional(),
  /** secret */
  privKey: z.string().optional(),
  context: z.string().optional(),
};

type RawV3 = { user: string; level: SecurityLevel; authProtocol?: string; authKey?: string; privProtocol?: string; privKey?: string; context?: string };

const NONE: ReadonlySet<string> = new Set();

/**
 * Level needs its keys, keys long enough, protocols known and supported by net-snmp. Keys the
 * level does not use are an error too: a user who set privKey on authNoPriv expects privacy.
 */
export function checkV3(raw: RawV3, ctx: z.RefinementCtx, told: ReadonlySet<string> = NONE): Omit<V3Credential, 'version'> {
  // a field already told as ill-typed is not told again
  const issue = (key: string, message: string) => { if (!told.has(key)) ctx.issues.push({ code: 'custom', path: [key], input: undefined, message }); };
  const needsAuth = raw.level !== 'noAuthNoPriv';
  const needsPriv = raw.level === 'authPriv';
  let authProtocol: AuthProtocol | undefined;
  let privProtocol: PrivProtocol | undefined;
  for (const [key, needed, what] of [['auth', needsAuth, 'authentication'], ['priv', needsPriv, 'privacy']] as const) {
    const proto = raw[`${key}Protocol`];
    const secret = raw[`${key}Key`];
    if (needed) {
      if (proto === undefined) issue(`${key}Protocol`, `required by level ${raw.level}`);
      if (secret === undefined) issue(`${key}Key`, `required by level ${raw.level}`);
      else if (secret.length < MIN_KEY_LENGTH) issue(`${key}Key`, `must be at least ${MIN_KEY_LENGTH} characters (Net-SNMP refuses shorter pass phrases)`);
    } else {
      for (const k of [`${key}Protocol`, `${key}Key`] as const) {
        if (raw[k] !== undefined) issue(k, `not used by level ${raw.level}; use level ${key === 'auth' ? 'authNoPriv or authPriv' : 'authPriv'} for ${what}, or remove it`);
      }
    }
  }
  if (needsAuth && raw.authProtocol !== undefined) {
    const n = normalizeAuthProtocol(raw.authProtocol);
    if ('ok' in n) authProtocol = n.ok;
    else issue('authProtocol', n.problem);
  }
  if (needsPriv && raw.privProtocol !== undefined) {
    const n = normalizePrivProtocol(raw.privProtocol);
    if ('ok' in n) privProtocol = n.ok;
    else issue('privProtocol', n.problem);
  }
  const out: Omit<V3Credential, 'version'> = { user: raw.user, level: raw.level };
  if (authProtocol) [out.authProtocol, out.authKey] = [authProtocol, raw.authKey];
  if (privProtocol) [out.privProtocol, out.privKey] = [privProtocol, raw.privKey];
  if (raw.context !== undefined) out.context = raw.context;
  return out;
}

const communitySchema = z.strictObject({
  version: z.union([z.literal(1), z.literal(2), z.enum(['1', '2', '2c', 'v1', 'v2c'])]),
  /** secret */
  community: nonEmpty(),
});

const v3Schema = z.strictObject({
  version: z.union([z.literal(3), z.enum(['3', 'v3'])]),
  ...v3UserFields,
});

/** Picks the branch by `version` so errors are about that branch only. */
export const credentialSchema = z
  .looseObject({ version: z.unknown().optional() })
  .transform((raw, ctx): Credential => {
    const v = String(raw.version).replace(/^v/, '');
    if (raw.version === undefined) {
      ctx.issues.push({ code: 'custom', path: ['version'], input: undefined, message: 'required (expected 1, 2c or 3)' });
      return z.NEVER;
    }
    if (v === '3') {
      const r = v3Schema.safeParse(raw, { reportInput: true });
      if (r.success) return { version: '3', ...checkV3(r.data, ctx) };
      checkV3Fields(raw, r.error, ctx);
      return forward(r.error, ctx, Object.keys(v3Schema.shape));
    }
    if (v === '1' || v === '2' || v === '2c') {
      const r = communitySchema.safeParse(raw, { reportInput: true });
      if (!r.success) return forward(r.error, ctx, Object.keys(communitySchema.shape));
      return { version: v === '1' ? '1' : '2c', community: r.data.community };
    }
    ctx.issues.push({ code: 'custom', path: ['version'], input: undefined, message: 'expected 1, 2c or 3' });
    return z.NEVER;
  });

/**
 * checkV3 on the fields of a v3 credential that are well-formed when another is not, so every
 * problem of the credential is told at once (a short authKey beside a privKey that is a number)
 */
function checkV3Fields(raw: Record<string, unknown>, error: z.ZodError, ctx: z.RefinementCtx): void {
  const bad = new Set(error.issues.map((i) => String(i.path[0])));
  const fields: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(v3UserFields)) {
    if (bad.has(key)) continue;
    const f = schema.safeParse(raw[key]);
    if (f.success && f.data !== undefined) fields[key] = f.data;
  }
  if (fields.level === undefined) return; // what is required or unused depends on the level
  checkV3({ user: '', ...fields } as RawV3, ctx, bad);
}

export const v3UserSchema = z.strictObject(v3UserFields).transform((raw, ctx) => checkV3(raw, ctx));

/** A stand-in of the same JS type, so messages can say "got a number" while the value (maybe a secret) stays out. */
function sameType(v: unknown): unknown {
  if (v === undefined || v === null || typeof v === 'boolean') return v;
  if (typeof v === 'string') return '';
  if (typeof v === 'number') return 0;
  return Array.isArray(v) ? [] : {};
}

function forward(error: z.ZodError, ctx: z.RefinementCtx, allowed: string[]): never {
  for (const i of error.issues) {
    if (i.code === 'unrecognized_keys') {
      for (const key of i.keys) ctx.issues.push({ code: 'custom', path: [...i.path, key], input: undefined, message: unknownKeyMessage(key, allowed) });
    } else {
      ctx.issues.push({ ...i, input: sameType(i.input) } as never);
    }
  }
  return z.NEVER as never;
}
