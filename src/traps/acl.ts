import { BlockList, isIP } from 'node:net';

/** Source allow-list from CIDRs (`10.0.0.0/8`, `::1/128`) or plain addresses. Empty = allow all. */
export class AllowList {
  private readonly list = new BlockList();
  readonly empty: boolean;

  constructor(entries: readonly string[] = []) {
    this.empty = entries.length === 0;
    for (const e of entries) {
      const problem = cidrProblem(e);
      if (problem) throw new Error(`allow-list entry "${e}": ${problem}`);
      const [addr, bits] = e.split('/');
      const family = isIP(addr) === 6 ? 'ipv6' : 'ipv4';
      if (bits === undefined) this.list.addAddress(addr, family);
      else this.list.addSubnet(addr, Number(bits), family);
    }
  }

  allows(address: string): boolean {
    if (this.empty) return true;
    const a = unmapV4(address);
    return this.list.check(a, isIP(a) === 6 ? 'ipv6' : 'ipv4');
  }
}

/** `::ffff:10.0.0.1` → `10.0.0.1` */
export function unmapV4(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

/** undefined when `e` is a valid address or CIDR, else what is wrong (config validation) */
export function cidrProblem(e: string): string | undefined {
  const [addr, bits, extra] = e.split('/');
  const v = isIP(addr);
  if (!v || extra !== undefined) return 'expected an IPv4/IPv6 address or CIDR';
  if (bits === undefined) return undefined;
  const n = Number(bits);
  if (!/^\d+$/.test(bits) || n > (v === 4 ? 32 : 128)) return `prefix length must be 0–${v === 4 ? 32 : 128}`;
  return undefined;
}
