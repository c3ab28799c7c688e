/**
 * Pure parser for what `fping -C N -a` writes to stderr (fping 5.1; stdout stays empty):
 *
 *   127.0.0.1 : 0.037 0.024 -                 per-host summary, names padded, `-` = lost probe
 *   ::1 : duplicate for [0], 64 bytes, 0.030 ms   one line per extra reply to a probe
 *   ICMP Host Unreachable from 127.0.0.254 for ICMP Echo sent to 127.0.0.9
 *   nosuch.invalid: Name or service not known   (not seen in practice: names are resolved in Node)
 *   127.0.0.9: error while sending ping: Network is unreachable
 */
export interface FpingHostOutput {
  /** per-probe RTTs from the summary line, undefined when fping printed none for the host */
  rtts: (number | null)[] | undefined;
  duplicates: number;
  /** ICMP errors naming this host as the destination (`<kind> from <router>`) */
  icmpErrors: string[];
  /** `host: message` warnings (resolution failure, send errors) */
  warnings: string[];
}

export interface FpingOutput {
  hosts: Map<string, FpingHostOutput>;
  /** lines naming none of the targets (fatal errors such as `fping: can't create socket`) */
  other: string[];
}

const SUMMARY = /^(\S+)\s+:((?:\s+(?:-|\d+(?:\.\d+)?))*)\s*$/;
const DUPLICATE = /^(\S+)\s+: duplicate for \[(\d+)\], \d+ bytes, [\d.]+ ms/;
const ICMP_ERROR = /^(ICMP.*?) from (\S+) for ICMP Echo sent to (\S+)\s*$/;

export function parseFpingOutput(stderr: string, targets: readonly string[]): FpingOutput {
  const hosts = new Map<string, FpingHostOutput>();
  for (const t of targets) hosts.set(t, { rtts: undefined, duplicates: 0, icmpErrors: [], warnings: [] });
  const other: string[] = [];
  for (const raw of stderr.split('\n')) {
    const line = raw.trimEnd();
    if (!line.trim()) continue;
    let m: RegExpExecArray | null;
    if ((m = DUPLICATE.exec(line)) && hosts.has(m[1])) {
      hosts.get(m[1])!.duplicates++;
    } else if ((m = SUMMARY.exec(line)) && hosts.has(m[1])) {
      const values = m[2].trim();
      hosts.get(m[1])!.rtts = values === '' ? [] : values.split(/\s+/).map((v) => (v === '-' ? null : Number(v)));
    } else if ((m = ICMP_ERROR.exec(line)) && hosts.has(m[3])) {
      hosts.get(m[3])!.icmpErrors.push(`${m[1]} from ${m[2]}`);
    } else {
      const w = warningFor(line, hosts);
      if (w) hosts.get(w.host)!.warnings.push(w.message);
      else other.push(line);
    }
  }
  return { hosts, other };
}

/** `host: message`, where the host may itself contain colons (IPv6) */
function warningFor(line: string, hosts: Map<string, FpingHostOutput>): { host: string; message: string } | null {
  for (let i = line.indexOf(': '); i > 0; i = line.indexOf(': ', i + 1)) {
    const host = line.slice(0, i);
    if (hosts.has(host)) return { host, message: line.slice(i + 2) };
  }
  return null;
}
