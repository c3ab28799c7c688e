import { normalizeMac } from './normalize.ts';

/**
 * One comparable form for an interface name, so that the ifName a device reports
 * ("Gi0/2"), the long form CDP and many LLDP agents send ("GigabitEthernet0/2") and
 * vendor variants ("GE0/2", "Gig 0/2") give the same link end.
 */
const PREFIXES: Record<string, string> = {};
for (const [short, forms] of Object.entries({
  fa: ['fa', 'fastethernet'],
  gi: ['gi', 'gig', 'ge', 'gigabitethernet', 'gigethernet'],
  tw: ['tw', 'twogigabitethernet'],
  fi: ['fi', 'fivegigabitethernet'],
  te: ['te', 'ten', 'tengig', 'tengige', 'tengigabitethernet', 'xge', 'xgigabitethernet'],
  twe: ['twe', 'twentyfivegige', 'twentyfivegigabitethernet', '25ge'],
  fo: ['fo', 'fortygige', 'fortygigabitethernet', '40ge'],
  hu: ['hu', 'hundredgige', 'hundredgigabitethernet', '100ge'],
  eth: ['et', 'eth', 'ethernet'],
  po: ['po', 'port-channel', 'portchannel'],
})) for (const f of forms) PREFIXES[f] = short;

/** Lower case, known type prefixes shortened, blanks between type and number dropped. */
export function canonicalPort(name: string): string {
  const n = name.trim().toLowerCase();
  const m = /^([a-z][a-z-]*?|\d+ge)\s*(\d[\d/.:]*)$/.exec(n);
  if (!m) return n;
  const short = PREFIXES[m[1]];
  return short ? short + m[2] : n;
}

/**
 * The canonical form of a port when it reads as an interface name (`Gi1/0/48`, `ge-0/0/1`,
 * `enp3s0`, `1/1/3`, `Port 1`), else undefined: a MAC, hex, a bare number (an LLDP locally
 * assigned port ID) or free text (an alias) may name the port another protocol names otherwise.
 */
export function interfaceName(port: string | undefined): string | undefined {
  if (!port?.trim() || normalizeMac(port) !== undefined) return undefined;
  const c = canonicalPort(port).replace(/^([a-z][a-z-]*)\s+(?=\d)/, '$1');
  // letters up to the first digit, so that no two parts of the pattern can take the same
  // characters: linear in the length of whatever name an agent sends
  return /^[a-z][a-z-]*\d[a-z0-9/.:-]*$/.test(c) || /^\d+(\/\d+)+$/.test(c) ? c : undefined;
}

/** Two names of one box's port differ only when both are interface names and not the same one. */
export function portsAgree(x: string | undefined, y: string | undefined): boolean {
  const a = interfaceName(x), b = interfaceName(y);
  return a === undefined || b === undefined || a === b;
}
