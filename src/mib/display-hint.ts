/**
 * RFC 2579 DISPLAY-HINT formatting. Pure functions; `undefined` means the hint does not apply
 * (malformed hint, empty data) and the caller falls back to its default rendering.
 */
import { isUtf8 } from 'node:buffer';

interface OctetSpec { star: boolean; take: number; fmt: string; sep?: string; term?: string; start: number }

/** Octet-string hints: `1x:`, `255a`, `2d-1d-1d,1d:1d:1d.1d,1a1d:1d`, `1d.1d.1d.1d`, `*1d./1d`. */
export function formatOctetHint(hint: string, data: Uint8Array): string | undefined {
  if (hint === '' || data.length === 0) return undefined;
  const only = parseSpec(hint, 0);
  // one text spec repeated with nothing between (`255a`): the value is one text, so a character the
  // take would cut in two is decoded whole, and the UTF-8 check is made on the whole value
  if (only && only.start === hint.length && !only.star && only.sep === undefined && only.take > 0 && 'at'.includes(only.fmt)) return formatChunk(only.fmt, data);
  let out = '';
  let h = 0;
  let pos = 0;
  let last: OctetSpec | undefined;
  while (pos < data.length) {
    let spec: OctetSpec | undefined;
    if (h >= hint.length) {
      // the last specification repeats until the data is used up
      if (!last || (last.take === 0 && !last.star)) return undefined;
      spec = last;
    } else {
      spec = parseSpec(hint, h);
      if (!spec) return undefined;
      h = spec.start;
      last = spec;
    }
    let repeat = 1;
    if (spec.star) repeat = data[pos++];
    for (let r = 0; r < repeat && pos < data.length; r++) {
      const end = Math.min(pos + spec.take, data.length);
      const chunk = data.subarray(pos, end);
      const piece = formatChunk(spec.fmt, chunk);
      if (piece === undefined) return undefined;
      out += piece;
      pos = end;
      const lastOfGroup = spec.term !== undefined && r === repeat - 1;
      if (spec.sep !== undefined && pos < data.length && !lastOfGroup) out += spec.sep;
    }
    if (spec.term !== undefined && pos < data.length) out += spec.term;
  }
  return out;
}

/** Parses one octet-format specification at `at`; `start` in the result is where the next one begins. */
function parseSpec(hint: string, at: number): OctetSpec | undefined {
  let i = at;
  const star = hint[i] === '*';
  if (star) i++;
  const digitsStart = i;
  while (i < hint.length && hint[i] >= '0' && hint[i] <= '9') i++;
  if (i === digitsStart || i - digitsStart > 6) return undefined;
  const take = Number(hint.slice(digitsStart, i));
  const fmt = hint[i++];
  if (fmt === undefined || !'dxoat'.includes(fmt)) return undefined;
  const isSepChar = (c: string | undefined): c is string => c !== undefined && !(c >= '0' && c <= '9') && c !== '*';
  let sep: string | undefined;
  let term: string | undefined;
  if (isSepChar(hint[i])) sep = hint[i++];
  if (star && isSepChar(hint[i])) term = hint[i++];
  return { star, take, fmt, sep, term, start: i };
}

function formatChunk(fmt: string, chunk: Uint8Array): string | undefined {
  switch (fmt) {
    case 'd': case 'o': {
      if (chunk.length > 8) return undefined;
      let v = 0n;
      for (const b of chunk) v = (v << 8n) | BigInt(b);
      return v.toString(fmt === 'd' ? 10 : 8);
    }
    case 'x': {
      let s = '';
      for (const b of chunk) s += b.toString(16).padStart(2, '0').toUpperCase();
      return s;
    }
    case 'a': {
      // NVT ASCII by RFC 2579, but agents put UTF-8 in DisplayStrings (ifAlias "Zürich"): as UTF-8 when it is, else byte by byte
      const bytes = Buffer.from(chunk);
      return isUtf8(bytes) ? bytes.toString('utf8') : bytes.toString('latin1');
    }
    case 't':
      return Buffer.from(chunk).toString('utf8');
    default:
      return undefined;
  }
}

/** Integer hints: `d`, `d-2` (implied decimal point), `x`, `o`, `b`. */
export function formatIntegerHint(hint: string, value: number | bigint): string | undefined {
  const m = /^([dxob])(?:-(\d+))?$/.exec(hint.trim());
  if (!m) return undefined;
  const v = BigInt(value);
  const neg = v < 0n;
  const abs = neg ? -v : v;
  switch (m[1]) {
    case 'x': return (neg ? '-' : '') + abs.toString(16);
    case 'o': return (neg ? '-' : '') + abs.toString(8);
    case 'b': return (neg ? '-' : '') + abs.toString(2);
  }
  const places = m[2] ? Number(m[2]) : 0;
  if (places === 0) return v.toString();
  if (places > 30) return undefined;
  const digits = abs.toString().padStart(places + 1, '0');
  return `${neg ? '-' : ''}${digits.slice(0, -places)}.${digits.slice(-places)}`;
}
