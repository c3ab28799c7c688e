/**
 * Minimal BER reader/writer for SNMP. The reader is bounds-checked and throws WireDecodeError
 * (caught at the message boundary and turned into a typed result); the writer fills a buffer
 * from the END backwards, so a constructed value's length is known once its content is written.
 */
import { MAX_ARC } from '../../model/oid-arc.ts';

export class WireDecodeError extends Error {
  constructor(readonly reason: string, readonly offset: number) {
    super(`${reason} at byte ${offset}`);
    this.name = 'WireDecodeError';
  }
}

export const TAG = {
  Integer: 0x02, OctetString: 0x04, Null: 0x05, OID: 0x06, Sequence: 0x30,
  IpAddress: 0x40, Counter32: 0x41, Gauge32: 0x42, TimeTicks: 0x43, Opaque: 0x44, Counter64: 0x46,
  NoSuchObject: 0x80, NoSuchInstance: 0x81, EndOfMibView: 0x82,
} as const;

export class BerReader {
  pos: number;
  constructor(readonly buf: Buffer, start = 0, readonly end = buf.length) {
    this.pos = start;
  }

  fail(reason: string): never {
    throw new WireDecodeError(reason, this.pos);
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  peekTag(): number {
    if (this.pos >= this.end) this.fail('unexpected end of data reading tag');
    return this.buf[this.pos];
  }

  /** reads tag + length; returns [tag, contentStart, contentEnd] and leaves pos at content start */
  header(expect?: number, what = 'value'): { tag: number; start: number; end: number } {
    const tag = this.peekTag();
    const end = this.#readHeader(expect, what);
    return { tag, start: this.pos, end };
  }

  /** header() without its result object: leaves pos at the content start and returns the content end */
  #readHeader(expect: number | undefined, what: string): number {
    const tag = this.peekTag();
    if (expect !== undefined && tag !== expect) {
      this.fail(`expected ${what} (tag 0x${expect.toString(16)}), got tag 0x${tag.toString(16)}`);
    }
    if ((tag & 0x1f) === 0x1f) this.fail('multi-byte tags are not used by SNMP');
    this.pos++;
    if (this.pos >= this.end) this.fail(`unexpected end of data reading length of ${what}`);
    let len = this.buf[this.pos++];
    if (len & 0x80) {
      const n = len & 0x7f;
      if (n === 0) this.fail('indefinite length is not allowed in SNMP');
      if (n > 4) this.fail(`length of ${what} uses ${n} bytes`);
      if (this.pos + n > this.end) this.fail(`unexpected end of data reading length of ${what}`);
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + this.buf[this.pos++];
    }
    if (len > this.end - this.pos) {
      this.fail(`${what} claims ${len} bytes but only ${this.end - this.pos} remain`);
    }
    return this.pos + len;
  }

  sequence(tag: number = TAG.Sequence, what = 'SEQUENCE'): BerReader {
    const end = this.#readHeader(tag, what);
    const start = this.pos;
    this.pos = end;
    return new BerReader(this.buf, start, end);
  }

  /** signed 32-bit INTEGER (every INTEGER in SNMP is Integer32) */
  integer(what = 'INTEGER', tag: number = TAG.Integer): number {
    const end = this.#readHeader(tag, what);
    const start = this.pos;
    this.pos = end;
    return readSigned(this, start, end, what);
  }

  /** unsigned 32-bit application types (Counter32, Gauge32, TimeTicks) */
  unsigned32(h: { start: number; end: number }, what: string): number {
    return readUnsigned32(this, h.start, h.end, what);
  }

  octetString(what = 'OCTET STRING'): Buffer {
    const end = this.#readHeader(TAG.OctetString, what);
    const start = this.pos;
    this.pos = end;
    return this.buf.subarray(start, end);
  }

  skip(): void {
    this.pos = this.#readHeader(undefined, 'value');
  }
}

/** Integer32: up to 4 content bytes once redundant leading 0x00/0xff padding (sloppy agents) is dropped. */
export function readSigned(r: BerReader, start: number, end: number, what: string): number {
  const n = end - start;
  if (n === 0) r.fail(`${what} has zero length`);
  while (end - start > 4 && (r.buf[start] === 0 || r.buf[start] === 0xff) && (r.buf[start + 1] & 0x80) === (r.buf[start] & 0x80)) start++;
  if (end - start > 4) r.fail(`${what} is ${n} bytes, exceeds 32 bits`);
  let u = 0;
  for (let i = start; i < end; i++) u = u * 256 + r.buf[i];
  return r.buf[start] & 0x80 ? u - 2 ** (8 * (end - start)) : u;
}

/**
 * Counter32/Gauge32/TimeTicks as Net-SNMP reads them: up to 4 content bytes, sign-extended and
 * taken modulo 2^32 (agents that drop the leading zero of a large value), or 5 bytes of which
 * the first is 0x00. Anything longer does not fit 32 bits.
 */
export function readUnsigned32(r: BerReader, start: number, end: number, what: string): number {
  const n = end - start;
  if (n === 0) r.fail(`${what} has zero length`);
  if (n > 5 || (n === 5 && r.buf[start] !== 0)) r.fail(`${what} is ${n} bytes, exceeds 32 bits`);
  let u = 0;
  for (let i = start; i < end; i++) u = u * 256 + r.buf[i];
  return n < 5 && r.buf[start] & 0x80 ? u - 2 ** (8 * n) + 2 ** 32 : u;
}

export function readUnsigned64(r: BerReader, start: number, end: number, what: string): bigint {
  const n = end - start;
  if (n === 0) r.fail(`${what} has zero length`);
  if (n > 9 || (n === 9 && r.buf[start] !== 0)) r.fail(`${what} exceeds 64 bits`);
  let v = 0n;
  for (let i = start; i < end; i++) v = (v << 8n) | BigInt(r.buf[i]);
  if (n < 9 && r.buf[start] & 0x80) v -= 1n << BigInt(8 * n); // negative: invalid for Counter64
  if (v < 0n) v += 1n << 64n;
  return v;
}

/** decodeOid's text scratch: each content byte ends at most one arc of up to 10 digits and a dot */
const OID_TEXT_KEPT = 16 * 1024;
let oidText = Buffer.allocUnsafe(1024);

/** writes `v` (0 to 2^32 - 1) in decimal ASCII at `at`; returns the offset after it */
export function writeDecimal(buf: Buffer, at: number, v: number): number {
  if (v < 10) {
    buf[at] = 48 + v;
    return at + 1;
  }
  let end = at + 1;
  for (let x = v; x >= 10; x = Math.floor(x / 10)) end++;
  for (let j = end - 1; j >= at; j--) {
    const d = v % 10;
    buf[j] = 48 + d;
    v = (v - d) / 10;
  }
  return end;
}

/** writes the two arcs of an OID's first sub-identifier `v` ("2.999") at 0; returns the offset after them */
export function writeFirstArcs(buf: Buffer, v: number): number {
  const top = v < 40 ? 0 : v < 80 ? 1 : 2;
  buf[0] = 48 + top;
  buf[1] = 46;
  return writeDecimal(buf, 2, v - 40 * top);
}

export function decodeOid(r: BerReader, start: number, end: number): string {
  if (end === start) r.fail('OID has zero length');
  const need = 11 * (end - start) + 16;
  if (need > oidText.length && need <= OID_TEXT_KEPT) oidText = Buffer.allocUnsafe(OID_TEXT_KEPT);
  // a huge OID (a hostile trap) gets a scratch of its own, so the kept one stays small
  return oidTextOf(r, start, end, need <= oidText.length ? oidText : Buffer.allocUnsafe(need));
}

function oidTextOf(r: BerReader, start: number, end: number, text: Buffer): string {
  let len = 0;
  let v = 0;
  for (let i = start; i < end; i++) {
    const b = r.buf[i];
    v = v * 128 + (b & 0x7f);
    if (v > MAX_ARC) r.fail('OID sub-identifier exceeds 32 bits');
    if (b & 0x80) {
      if (i === end - 1) r.fail('OID ends inside a sub-identifier');
      continue;
    }
    if (len === 0) {
      len = writeFirstArcs(text, v);
    } else {
      text[len] = 46;
      len = writeDecimal(text, len + 1, v);
    }
    v = 0;
  }
  return text.toString('latin1', 0, len);
}

/** OID string → sub-identifier array; null if not a valid dotted numeric OID */
export function parseOid(oid: string): number[] | null {
  const s = oid.startsWith('.') ? oid.slice(1) : oid;
  if (s === '') return null;
  const parts = s.split('.');
  const out = new Array<number>(parts.length);
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (!/^\d{1,10}$/.test(p)) return null;
    const n = Number(p);
    if (n > MAX_ARC) return null;
    out[i] = n;
  }
  if (out.length < 2 || out[0] > 2 || (out[0] < 2 && out[1] > 39)) return null;
  return out;
}

export function encodeOidContent(arcs: readonly number[]): Buffer {
  const bytes: number[] = [];
  const push = (n: number) => {
    const tmp: number[] = [n & 0x7f];
    n = Math.floor(n / 128);
    while (n > 0) {
      tmp.push((n & 0x7f) | 0x80);
      n = Math.floor(n / 128);
    }
    for (let i = tmp.length - 1; i >= 0; i--) bytes.push(tmp[i]);
  };
  push(arcs[0] * 40 + arcs[1]);
  for (let i = 2; i < arcs.length; i++) push(arcs[i]);
  return Buffer.from(bytes);
}

export function compareOids(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return a.length - b.length;
}

/** Backward writer. Write a SEQUENCE's children last-to-first, then call `wrap(tag, mark)`. */
export class BerWriter {
  buf: Buffer;
  pos: number;
  constructor(size = 2048) {
    this.buf = Buffer.allocUnsafe(size);
    this.pos = this.buf.length;
  }

  private ensure(n: number): void {
    if (this.pos >= n) return;
    const used = this.buf.length - this.pos;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, used + n + 1024));
    this.buf.copy(bigger, bigger.length - used, this.pos);
    this.pos = bigger.length - used;
    this.buf = bigger;
  }

  /** bytes written so far (stable across buffer growth) */
  get mark(): number {
    return this.buf.length - this.pos;
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.pos -= b.length;
    this.buf.set(b, this.pos);
  }

  length(len: number): void {
    this.ensure(5);
    if (len < 0x80) this.buf[--this.pos] = len;
    else {
      let n = 0;
      while (len > 0) {
        this.buf[--this.pos] = len & 0xff;
        len = Math.floor(len / 256);
        n++;
      }
      this.buf[--this.pos] = 0x80 | n;
    }
  }

  /** tag + length around everything written since `mark` */
  wrap(tag: number, mark: number): void {
    this.length(this.buf.length - this.pos - mark);
    this.ensure(1);
    this.buf[--this.pos] = tag;
  }

  tlv(tag: number, content: Uint8Array): void {
    this.bytes(content);
    this.length(content.length);
    this.ensure(1);
    this.buf[--this.pos] = tag;
  }

  integer(v: number, tag: number = TAG.Integer): void {
    this.ensure(10);
    const m = this.mark;
    if (!Number.isInteger(v)) v = Math.trunc(v) || 0;
    // two's complement, minimal
    let x = v;
    do {
      const b = ((x % 256) + 256) % 256;
      this.buf[--this.pos] = b;
      x = Math.floor(x / 256);
    } while (!((x === 0 && !(this.buf[this.pos] & 0x80)) || (x === -1 && this.buf[this.pos] & 0x80)));
    this.wrap(tag, m);
  }

  /** unsigned 32-bit or 64-bit value (adds the leading zero when the top bit is set) */
  unsigned(v: number | bigint, tag: number): void {
    this.ensure(12);
    const m = this.mark;
    let x = typeof v === 'bigint' ? v : BigInt(Math.max(0, Math.trunc(v)));
    if (x < 0n) x = 0n;
    do {
      this.buf[--this.pos] = Number(x & 0xffn);
      x >>= 8n;
    } while (x > 0n);
    if (this.buf[this.pos] & 0x80) this.buf[--this.pos] = 0;
    this.wrap(tag, m);
  }

  /** fast path for uint32 without bigint */
  uint32(v: number, tag: number): void {
    this.ensure(8);
    const m = this.mark;
    let x = v >>> 0;
    do {
      this.buf[--this.pos] = x & 0xff;
      x = Math.floor(x / 256);
    } while (x > 0);
    if (this.buf[this.pos] & 0x80) this.buf[--this.pos] = 0;
    this.wrap(tag, m);
  }

  null(tag: number = TAG.Null): void {
    this.ensure(2);
    this.buf[--this.pos] = 0;
    this.buf[--this.pos] = tag;
  }

  toBuffer(): Buffer {
    return this.buf.subarray(this.pos);
  }
}
