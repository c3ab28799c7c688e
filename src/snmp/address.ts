/** Agent addresses in the one spelling replies are matched by. */
import { isIP, SocketAddress } from 'node:net';

/**
 * An IP literal as the kernel reports a reply's source (`0:0:0:0:0:0:0:1`, `::0001` and `::1`
 * are one address; IPv6 in lower case), so replies match it as a string. A zone (`%eth0`) is
 * kept as given. Anything that is not an IPv6 literal is returned unchanged.
 */
export function canonicalAddress(address: string): string {
  if (isIP(address) !== 6) return address;
  const zone = address.indexOf('%');
  const bare = zone < 0 ? address : address.slice(0, zone);
  return new SocketAddress({ address: bare, family: 'ipv6' }).address + (zone < 0 ? '' : address.slice(zone));
}
