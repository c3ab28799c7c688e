/**
 * The search's vocabulary: how MIB names spell the words a network engineer searches with (query
 * words are looked up by their stem, `searchStem`: `neighbors` → `neighbor`, so every word here is
 * a stem), and the scan that finds the names holding an abbreviation.
 */

/** one word spelled in several ways: a name holding any of them holds the query word as written */
const SPELLINGS: readonly (readonly string[])[] = [
  ['neighbor', 'neighbour'],
];

/** words meaning the same thing: a query word finds each of its group in names and descriptions */
const SAME_WORDS: readonly (readonly string[])[] = [
  ...SPELLINGS,
  ['cpu', 'processor'],
  ['discard', 'drop'],
];

/**
 * A word as a name abbreviates it. `first`: the name starts with it, then a capital or a digit
 * (`if` in IF-MIB's `ifInErrors`). Otherwise capitalised words inside the name, the last maybe
 * plural, then anything but a lower-case letter (`Nbr` in `ospfNbrState`, `rsvpIfNbrs`; not in
 * `…Nbra…`). `within`: only in names that hold this too (lower case): `Rem` is a neighbour in
 * LLDP-MIB's `lldpRemSysName`, in TCP-MIB's `tcpConnRemAddress` only "remote".
 */
export interface NameAbbreviation { text: string; first?: boolean; within?: string }

const first = (text: string): NameAbbreviation => ({ text, first: true });
const word = (text: string, within?: string): NameAbbreviation => (within ? { text, within } : { text });

// shared by several words, so found once
const HR = first('hr');
const IN = word('In');
const OUT = word('Out');

const ABBREVIATIONS: Record<string, readonly NameAbbreviation[]> = {
  // the MIB prefixes: IF-MIB, SNMPv2-MIB's system group, ENTITY-MIB, HOST-RESOURCES-MIB
  interface: [first('if')],
  system: [first('sys')],
  entity: [first('ent')],
  host: [HR],
  resource: [HR],
  // a neighbour is a remote system (LLDP), a cache entry (CDP), a peer (BGP), an adjacency (IS-IS)
  neighbor: [word('Nbr'), word('Rem', 'lldp'), word('Cache', 'cdp'), word('Peer', 'bgp'), word('Adj', 'isis')],
  // the ARP table is IP-MIB's net-to-media (IPv4) and net-to-physical tables
  arp: [word('NetToMedia'), word('NetToPhysical')],
  remote: [word('Rem')],
  local: [word('Loc')],
  address: [word('Addr')],
  number: [word('Num')],
  description: [word('Descr'), word('Desc')],
  physical: [word('Phy')],
  management: [word('Mgmt'), word('Man', 'lldp')],
  configuration: [word('Cfg'), word('Config')],
  memory: [first('mem'), word('Mem')],
  disk: [first('dsk')],
  temperature: [word('Temp')],
  utilization: [word('Util')],
  average: [word('Avg')],
  statistic: [word('Stats')],
  packet: [word('Pkt')],
  unicast: [word('Ucast')],
  multicast: [word('Mcast')],
  broadcast: [word('Bcast')],
  inbound: [IN],
  input: [IN],
  outbound: [OUT],
  output: [OUT],
  transmit: [word('Tx')],
  receive: [word('Rx')],
};

export interface WordVocabulary {
  /** the stem and the words meaning the same (stems too) */
  same: readonly string[];
  /** those of `same` that are the stem spelled another way (with the stem) */
  spellings: readonly string[];
  /** how names abbreviate any of them */
  abbreviations: readonly NameAbbreviation[];
}

const VOCABULARY = new Map<string, WordVocabulary>();
for (const stem of new Set([...SAME_WORDS.flat(), ...Object.keys(ABBREVIATIONS)])) {
  const same = SAME_WORDS.find((g) => g.includes(stem)) ?? [stem];
  const spellings = SPELLINGS.find((g) => g.includes(stem)) ?? [stem];
  VOCABULARY.set(stem, { same, spellings, abbreviations: same.flatMap((w) => ABBREVIATIONS[w] ?? []) });
}

/** what the search reads a query word (its stem) as; undefined: only as itself */
export function vocabularyOf(stem: string): WordVocabulary | undefined {
  return VOCABULARY.get(stem);
}

/** every stem the vocabulary knows (for its tests) */
export function vocabularyStems(): string[] {
  return [...VOCABULARY.keys()];
}

/** every abbreviation of the vocabulary, once */
export const ALL_ABBREVIATIONS: readonly NameAbbreviation[] = [...new Set(Object.values(ABBREVIATIONS).flat())];

const isLower = (c: number) => c >= 97 && c <= 122;
const isUpper = (c: number) => c >= 65 && c <= 90;
const isDigit = (c: number) => c >= 48 && c <= 57;

/** the names as the search holds them: lower-cased (`names`), and joined by `\n`, name `i` from `starts[i]` */
export interface SearchNames { joined: string; starts: Int32Array; names: readonly string[] }

/**
 * The nodes whose names hold `a`, ascending: one scan of the joined names (1–4 ms on the shipped
 * corpus; the search keeps the result). `written(i)`: name `i` as written, to check the capitals.
 */
export function nodesAbbreviating(a: NameAbbreviation, st: SearchNames, written: (i: number) => string): Int32Array {
  const out: number[] = [];
  const { text, within } = a;
  const { joined, starts } = st;
  // the node whose name holds the position: hits come in order, so a cursor, not a binary search
  let i = 0;
  const visit = (pos: number) => {
    while (i + 1 < starts.length && starts[i + 1] <= pos) i++;
    if (out[out.length - 1] === i || (within !== undefined && !st.names[i].includes(within))) return;
    const name = written(i);
    if (a.first) {
      const after = name.charCodeAt(text.length);
      if (isUpper(after) || isDigit(after)) out.push(i);
      return;
    }
    const at = pos - starts[i];
    if (at < 1 || !name.startsWith(text, at)) return;
    let end = at + text.length;
    if (name.charCodeAt(end) === 115) end++;
    if (!isLower(name.charCodeAt(end))) out.push(i);
  };
  if (a.first) {
    // at a name's start: the first name, or after a `\n`
    if (joined.startsWith(text)) visit(0);
    for (let pos = joined.indexOf(`\n${text}`); pos >= 0; pos = joined.indexOf(`\n${text}`, pos + 1)) visit(pos + 1);
  } else {
    const needle = text.toLowerCase();
    for (let pos = joined.indexOf(needle); pos >= 0; pos = joined.indexOf(needle, pos + 1)) visit(pos);
  }
  return Int32Array.from(out);
}
