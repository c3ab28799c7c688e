/**
 * InfluxDB line protocol, as InfluxDB 1.x parses it (checked against influxd 1.6.7):
 * a backslash only escapes the separator that follows it (`,` `=` space, or `"` `\` inside
 * a string field); any other backslash is literal, so it is never doubled. A trailing
 * backslash in a name would escape the separator after it and cannot be expressed: it is
 * dropped. Newlines end a line, so in names they become the two characters `\n`
 * (Telegraf does the same); inside string field values they are kept.
 */
import type { FieldValue, Sample } from '../model/index.ts';

export const INT64_MAX = (1n << 63n) - 1n;
export const INT64_MIN = -(1n << 63n);

function escapeName(s: string, special: RegExp): string {
  const clean = s.replace(/\r\n|\r|\n/g, '\\n').replace(/\\+$/, '');
  return clean.replace(special, '\\$&');
}

export function escapeMeasurement(name: string): string {
  return escapeName(name, /[, ]/g);
}

/** tag keys, tag values and field keys */
export function escapeKey(key: string): string {
  return escapeName(key, /[,= ]/g);
}

export function escapeStringField(value: string): string {
  return `"${value.replace(/[\\"]/g, '\\$&')}"`;
}

/**
 * Signed 64-bit view of an integer field. Neither InfluxDB 1.x nor SQLite has an unsigned
 * 64-bit type: a Counter64 above 2^63-1 is stored modulo 2^63, i.e. it behaves like a
 * counter that wraps at 2^63 (non_negative_derivative loses one interval, then the deltas
 * are right again). Below -2^63 clamps. `wrapped` tells the caller to count it.
 */
export function toInt64(v: bigint): { value: bigint; wrapped: boolean } {
  if (v > INT64_MAX) return { value: v % (1n << 63n), wrapped: true };
  if (v < INT64_MIN) return { value: INT64_MIN, wrapped: true };
  return { value: v, wrapped: false };
}

/** `null` when the value cannot be written (NaN, Infinity). */
export function formatFieldValue(v: FieldValue, onWrap?: () => void): string | null {
  switch (typeof v) {
    case 'bigint': {
      const r = toInt64(v);
      if (r.wrapped) onWrap?.();
      return `${r.value}i`;
    }
    case 'number':
      if (!Number.isFinite(v)) return null;
      return String(v);
    case 'string':
      return escapeStringField(v);
    case 'boolean':
      return v ? 'true' : 'false';
    default:
      return null;
  }
}

export interface LineStats {
  wrapped: number;
  droppedFields: number;
}

const NEEDS_ESCAPE = /[,= \\\r\n]/;
const keyCache = new Map<string, string>();
const measurementCache = new Map<string, string>();
const tagValueCache = new Map<string, string>();

function cached(cache: Map<string, string>, s: string, escape: (s: string) => string, max = 10_000): string {
  let e = cache.get(s);
  if (e === undefined) {
    if (cache.size > max) cache.clear();
    e = escape(s);
    cache.set(s, e);
  }
  return e;
}

/** most tag values need no escaping; the others (descriptions, aliases) repeat every poll */
function escapeTagValue(v: string): string {
  return NEEDS_ESCAPE.test(v) ? cached(tagValueCache, v, escapeKey, 100_000) : v;
}

/**
 * One line, timestamp in ms (write with precision=ms). Tags sorted by key (the order
 * InfluxDB prefers), empty tag values left out (line protocol has no empty tag value).
 * Returns null when no field can be written, or the measurement starts with '#'.
 */
export function toLine(sample: Sample, stats?: LineStats): string | null {
  let fields = '';
  const sf = sample.fields;
  for (const key in sf) {
    const v = sf[key];
    let fv: string | null;
    if (typeof v === 'bigint') {
      if (v > INT64_MAX || v < INT64_MIN) {
        if (stats) stats.wrapped++;
        fv = `${toInt64(v).value}i`;
      } else {
        fv = `${v}i`;
      }
    } else if (typeof v === 'number') {
      fv = Number.isFinite(v) ? String(v) : null;
    } else {
      fv = formatFieldValue(v);
    }
    const ek = cached(keyCache, key, escapeKey);
    if (fv === null || ek === '') {
      if (stats) stats.droppedFields++;
      continue;
    }
    fields += (fields ? ',' : '') + ek + '=' + fv;
  }
  const measurement = cached(measurementCache, sample.measurement, escapeMeasurement);
  // InfluxDB 1.x answers 204 to a line starting with '#' and stores nothing (a comment)
  if (!fields || !measurement || measurement[0] === '#' || !Number.isFinite(sample.time)) return null;
  let tags = '';
  const st = sample.tags;
  const keys = Object.keys(st);
  for (let i = 1; i < keys.length; i++) {
    if (keys[i - 1] > keys[i]) {
      keys.sort();
      break;
    }
  }
  for (const key of keys) {
    const v = st[key];
    if (v === undefined || v === null || v === '') continue;
    const ek = cached(keyCache, key, escapeKey);
    const ev = escapeTagValue(typeof v === 'string' ? v : String(v));
    if (!ek || !ev) continue;
    tags += ',' + ek + '=' + ev;
  }
  return `${measurement}${tags} ${fields} ${Math.round(sample.time)}`;
}
