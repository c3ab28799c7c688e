import { isIP } from 'node:net';
import { z } from 'zod';
import { checkDuration, MAX_SPAN_MS } from '../model/duration.ts';
import { shapeOf } from './issues.ts';

export { MAX_SPAN_MS } from '../model/duration.ts';
/**
 * A duration like `500ms`, `30s`, `5m`, `1h`, `7d` (or a number of seconds) → milliseconds, from
 * `min` (default 1) to MAX_TIMER_MS unless `max` says otherwise: src/model's, whose limits and
 * messages src/alerts' rules and channels share.
 */
export { durationMs as duration } from '../model/duration-schema.ts';

/**
 * How long history is kept: a duration from `min` to MAX_SPAN_MS (a span, not a timer: it may
 * be longer than one can wait), or false to keep it forever.
 */
export function keepFor(min: number) {
  return z.any().transform((v, ctx): number | false => {
    if (v === false) return false;
    const r = checkDuration(v, { min, max: MAX_SPAN_MS });
    if ('ms' in r) return r.ms;
    ctx.issues.push({ code: 'custom', input: v, message: `${r.problem}; false keeps forever` });
    return z.NEVER;
  });
}

export const nonEmpty = () => z.string().min(1, { error: 'must not be empty' });

/** a whole number from min (to max), every failure told by the one `error` */
export const integer = (error: string, min: number, max?: number) => {
  const n = z.number({ error }).int({ error }).min(min, { error });
  return max === undefined ? n : n.max(max, { error });
};

export const port = (def?: number) => {
  const p = integer('expected a port number (1-65535)', 1, 65535);
  return def === undefined ? p : p.default(def);
};

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62})(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62}))*\.?$/;

/** IPv4, IPv6 (bare or in brackets) or a host name. */
export const address = () =>
  z.string().transform((v, ctx): string => {
    const bare = v.startsWith('[') && v.endsWith(']') ? v.slice(1, -1) : v;
    if (isIP(bare) || (HOSTNAME.test(v) && !/^\d+(\.\d+)*$/.test(v))) return bare;
    ctx.issues.push({ code: 'custom', input: v, message: `expected an IPv4 address, IPv6 address or host name, got ${shapeOf(v)}` });
    return z.NEVER;
  });

/** `host:port` or `[v6]:port` → { host, port } */
export const listen = (def: string) =>
  z
    .string()
    .default(def)
    .transform((v, ctx): { host: string; port: number } => {
      const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(v);
      const host = m ? (m[1] ?? m[2]) : '';
      const p = m ? Number(m[3]) : 0;
      if (!m || p < 0 || p > 65535 || (m[1] !== undefined && isIP(host) !== 6)) {
        ctx.issues.push({ code: 'custom', input: v, message: `expected host:port or [ipv6]:port like "127.0.0.1:8080" or "[::1]:1162", got ${shapeOf(v)}` });
        return z.NEVER;
      }
      return { host, port: p };
    });

/** An address or CIDR block (`127.0.0.0/8`, `::1/128`). */
export const cidr = () =>
  z.string().refine(
    (v) => {
      const [a, len, ...rest] = v.split('/');
      const fam = isIP(a);
      if (!fam || rest.length) return false;
      if (len === undefined) return true;
      return /^\d+$/.test(len) && Number(len) <= (fam === 4 ? 32 : 128);
    },
    { error: (iss) => `expected an address or CIDR block like 127.0.0.0/8, got ${shapeOf(iss.input)}` },
  );

const NUMERIC_OID = /^\.?[0-2](\.\d+)+$/;
const NAMED_OID = /^[A-Za-z][A-Za-z0-9-]*::[A-Za-z][A-Za-z0-9-]*(\.\d+)*$/;

/** Numeric (`1.3.6.1.2.1.1.3.0`) or `MODULE::name[.suffix]`, kept as a string for the OID dictionary. */
export const oid = () =>
  z.string().transform((v, ctx): string => {
    if (NUMERIC_OID.test(v)) return v.replace(/^\./, '');
    if (NAMED_OID.test(v)) return v;
    ctx.issues.push({ code: 'custom', input: v, message: `expected a numeric OID like 1.3.6.1.2.1.1.3.0 or a MIB name like IF-MIB::ifHCInOctets, got ${shapeOf(v)}` });
    return z.NEVER;
  });

/** Identifier for measurements, fields and tags as InfluxDB and SQL take them unquoted. */
export const identifier = () =>
  z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: (iss) => `expected a name of letters, digits and _ (not starting with a digit), got ${shapeOf(iss.input)}` });

/** true/false, or YAML 1.1's on/off/yes/no (YAML 1.2 reads those as strings). */
export const onOff = () =>
  z.union([z.boolean(), z.enum(['on', 'off', 'yes', 'no', 'true', 'false'])], { error: 'expected true/false (or on/off)' }).transform((v) => v === true || v === 'on' || v === 'yes' || v === 'true');

