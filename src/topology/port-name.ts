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
