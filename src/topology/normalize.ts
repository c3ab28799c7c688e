/** Pure normalisers for the identifiers neighbour tables carry. */

/** A 6-octet MAC from a Buffer or any common text form, as `00:1a:2b:3c:4d:5e`; undefined when it is not one. */
export function normalizeMac(input: Buffer | string | undefined | null): string | undefined {
  if (input == null) return undefined;
  let hex: string;
  if (Buffer.isBuffer(input)) {
    if (input.length !== 6) {
      const text = printable(input);
      return text === undefined ? undefined : normalizeMac(text);
    }
    hex = input.toString('hex');
  } else {
    const s = input.trim().toLowerCase();
    if (/^([0-9a-f]{1,2}[:-]){5}[0-9a-f]{1,2}$/.test(s)) hex = s.split(/[:-]/).map((p) => p.padStart(2, '0')).join('');
    else if (/^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$/.test(s)) hex = s.replace(/\./g, '');
    else if (/^[0-9a-f]{12}$/.test(s)) hex = s;
    else if (/^([0-9a-f]{2} ){5}[0-9a-f]{2}$/.test(s)) hex = s.replace(/ /g, '');
    else return undefined;
  }
  if (hex === '000000000000' || hex === 'ffffffffffff') return undefined;
  return hex.match(/../g)!.join(':');
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });
/** C0 and C1 control characters and DEL: an octet string holding any is binary, not text */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Text of an octet string as snmpwalk shows it (UTF-8 included, so `Zürich-core1` stays text), or
 * undefined when it is not valid UTF-8 or holds control characters.
 */
export function printable(buf: Buffer): string | undefined {
  if (buf.length === 0) return '';
  let end = buf.length;
  while (end > 0 && buf[end - 1] === 0) end--; // NUL padding some agents add
  let ascii = true;
  for (let i = 0; i < end; i++) {
    if (buf[i] < 0x20 || buf[i] === 0x7f) return undefined;
    if (buf[i] > 0x7f) ascii = false;
  }
  if (ascii) return buf.toString('latin1', 0, end);
  let text: string;
  try {
    text = UTF8.decode(buf.subarray(0, end));
  } catch {
    return undefined;
  }
  return CONTROL.test(text) ? undefined : text;
}

export function octetText(value: unknown): string | undefined {
  if (Buffer.isBuffer(value)) return printable(value) ?? value.toString('hex');
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return undefined;
}

/** IANA address family 1 (IPv4) / 2 (IPv6) followed by the address, as in LLDP networkAddress subtypes. */
export function networkAddress(buf: Buffer): string | undefined {
  if (buf.length === 5 && buf[0] === 1) return [...buf.subarray(1)].join('.');
  if (buf.length === 17 && buf[0] === 2) return ipv6Text(buf.subarray(1));
  return undefined;
}

export function ipv6Text(buf: Buffer): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(buf.readUInt16BE(i).toString(16));
  return groups.join(':');
}

/** LLDP chassis ID to a comparable string: MACs normalised, network addresses as text, the rest as text or hex. */
export function chassisIdText(subtype: number, value: Buffer): string {
  if (subtype === 4) return normalizeMac(value) ?? `hex:${value.toString('hex')}`;
  if (subtype === 5) return networkAddress(value) ?? `hex:${value.toString('hex')}`;
  return printable(value) ?? `hex:${value.toString('hex')}`;
}

/** LLDP port ID to text: subtype 3 is a MAC, 4 a network address, the rest names. */
export function portIdText(subtype: number, value: Buffer): string {
  if (subtype === 3) return normalizeMac(value) ?? `hex:${value.toString('hex')}`;
  if (subtype === 4) return networkAddress(value) ?? `hex:${value.toString('hex')}`;
  return printable(value) ?? `hex:${value.toString('hex')}`;
}

/** Host part of a name for matching: `sw1.example.net` and `SW1` both give `sw1`. */
export function shortName(name: string): string {
  const n = name.trim().toLowerCase();
  if (/^\d+\.\d+\.\d+\.\d+$/.test(n)) return n;
  return n.split('.')[0];
}

export function ipv4ToInt(ip: string): number | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

/** The network part of an IPv4 address (as ipv4ToInt gives it) under a prefix length 0–32. */
export function networkOf(ip: number, prefixLength: number): number {
  return prefixLength === 0 ? 0 : (ip & (0xffffffff << (32 - prefixLength))) >>> 0;
}

export function maskToPrefix(mask: string): number | undefined {
  const n = ipv4ToInt(mask);
  if (n === undefined) return undefined;
  let bits = 0;
  for (let i = 31; i >= 0; i--) {
    if (n & (1 << i)) bits++;
    else break;
  }
  return bits;
}
