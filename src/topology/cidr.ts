/** IPv4 CIDR blocks for crawl limits and sweeps (pure). */
import { ipv4ToInt } from './normalize.ts';

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
  return { text, base: (ip & maskOf(prefix)) >>> 0, prefix };
}

function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

export function cidrContains(c: Cidr, ip: string): boolean {
  const n = ipv4ToInt(ip);
  return n !== undefined && ((n & maskOf(c.prefix)) >>> 0) === c.base;
}

export function inAnyCidr(blocks: Cidr[], ip: string): boolean {
  return blocks.some((c) => cidrContains(c, ip));
}

/** Number of addresses a sweep of the block probes (network and broadcast left out below /31). */
export function hostCount(c: Cidr): number {
  const size = 2 ** (32 - c.prefix);
  return c.prefix >= 31 ? size : size - 2;
}

export function intToIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** The host addresses of a block, in order. */
export function hostsOf(c: Cidr): string[] {
  const size = 2 ** (32 - c.prefix);
  const [first, last] = c.prefix >= 31 ? [0, size - 1] : [1, size - 2];
  const out: string[] = [];
  for (let i = first; i <= last; i++) out.push(intToIpv4(c.base + i));
  return out;
}
