/**
 * Table row indexes (the OID suffix after a column OID) as typed values. The INDEX encoding
 * (RFC 2578 section 7.7) is read by mib/index-arcs.ts, shared with the MIB translation's
 * decodeIndex; here: the index text parsed to arcs, and the MAC and InetAddress views built on it.
 * Each decoder takes the arcs and a position and returns the value and the next position, so
 * composite indexes (e.g. ipNetToMediaTable: INTEGER + IpAddress) decode by chaining.
 */
import { decodeOctets, decodeString, needArcs, type Decoded } from '../mib/index-arcs.ts';
import { MAX_ARC } from '../model/oid-arc.ts';

export {
  decodeFixedString, decodeInteger, decodeIpAddress, decodeOidIndex, decodeString, type Decoded,
} from '../mib/index-arcs.ts';

/** `2.10.0.0.1` → arcs; refuses other text and a sub-identifier above MAX_ARC, quoting the index cut to 64 characters. */
export function parseIndexArcs(index: string): number[] {
  if (index === '') return [];
  return index.split('.').map((a) => {
    if (!/^\d+$/.test(a)) throw new Error(`index "${cut(index)}" is not dotted numbers`);
    const n = Number(a);
    // a longer run of digits is no index (and can read as Infinity)
    if (n > MAX_ARC) throw new Error(`index "${cut(index)}" has a sub-identifier above ${MAX_ARC}`);
    return n;
  });
}

const cut = (s: string) => (s.length > 64 ? `${s.slice(0, 64)}...` : s);

/** MacAddress / PhysAddress of fixed size 6: six arcs, printed `00:1a:2b:3c:4d:5e`. */
export function decodeMac(arcs: number[], pos = 0): Decoded<string> {
  const { value, next } = decodeOctets(arcs, 6, pos, 'MAC address');
  return { value: [...value].map((b) => b.toString(16).padStart(2, '0')).join(':'), next };
}

/**
 * InetAddress index preceded by its InetAddressType (INET-ADDRESS-MIB): type arc, length
 * arc, octets. Returns the textual address (IPv4 dotted, IPv6 compressed-free hex groups).
 */
export function decodeInetAddress(arcs: number[], pos = 0): Decoded<{ type: number; address: string }> {
  needArcs(arcs, pos, 1, 'InetAddressType');
  const type = arcs[pos];
  const { value, next } = decodeString(arcs, pos + 1);
  let address: string;
  if ((type === 1 && value.length === 4)) address = [...value].join('.');
  else if (type === 2 && value.length === 16) {
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) groups.push(value.readUInt16BE(i).toString(16));
    address = groups.join(':');
  } else address = value.toString('hex');
  return { value: { type, address }, next };
}
