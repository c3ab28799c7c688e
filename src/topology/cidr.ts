/** IPv4 CIDR blocks for crawl limits and sweeps (pure). */
import { ipv4ToInt, networkOf } from './normalize.ts';

export interface Cidr {
  text: string;
  base: number;
  prefix: number;
}

/** `10.1.0.0/24` (or a bare address = /32); throws naming the input when it is not an IPv4 block. */
export function parseCidr(text: string): Cidr {
  const [addr, len, ...rest] = text.trim().split('/');
  const ip = ipv4ToInt(addr);
  const prefix = len === undefined ? 32 : /^\d{1,2}$/.test(len) ? Number(len) : NaN;
  if (ip === undefined || rest.length || !(prefix >= 0 && prefix <= 32)) {
    throw new Error(`"${text}" is not an IPv4 address or CIDR block like 127.0.0.0/29`);
  }
  return { text, base: networkOf(ip, prefix), prefix };
}

export function cidrContains(c: Cidr, ip: string): boolean {
  const n = ipv4ToInt(ip);
  return n !== undefined && networkOf(n, c.prefix) === c.base;
}

export function inAnyCidr(blocks: Cidr[], ip: string): boolean {
  return blocks.some((c) => cidrContains(c, ip));
}

/** The block's host addresses as integers `[first, last]`: network and broadcast left out below /31. */
export function hostRange(c: Cidr): [number, number] {
  const last = c.base + 2 ** (32 - c.prefix) - 1;
  return c.prefix >= 31 ? [c.base, last] : [c.base + 1, last - 1];
}

/** Number of addresses a sweep of the block probes (network and broadcast left out below /31). */
export function hostCount(c: Cidr): number {
  const [first, last] = hostRange(c);
  return last - first + 1;
}

/** A host address of the block: inside it and, below /31, neither its network nor its broadcast address. */
export function isHostOf(c: Cidr, ip: string): boolean {
  const n = ipv4ToInt(ip);
  if (n === undefined) return false;
  const [first, last] = hostRange(c);
  return n >= first && n <= last;
}

export function intToIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** The host addresses of a block, in order, one at a time (a /0 has 4 billion). */
export function* hostsOf(c: Cidr): Generator<string> {
  const [first, last] = hostRange(c);
  for (let n = first; n <= last; n++) yield intToIpv4(n);
}

/** The union of the blocks' host addresses as sorted, disjoint integer ranges `[first, last]`. */
export function hostRanges(blocks: Cidr[]): [number, number][] {
  const sorted = blocks.map(hostRange).sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [first, last] of sorted) {
    const prev = out.at(-1);
    if (prev && first <= prev[1] + 1) prev[1] = Math.max(prev[1], last);
    else out.push([first, last]);
  }
  return out;
}
