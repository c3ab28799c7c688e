/** fping processes seen in /proc: children of a pid, or any probing a given address (an orphan's parent is init). */
import { readdirSync, readFileSync } from 'node:fs';

export interface Proc {
  pid: number;
  ppid: number;
  args: string[];
}

function fpingProcs(): Proc[] {
  const out: Proc[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // comm is in parentheses and may hold spaces: the fields after it start at the last ')'
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (comm !== 'fping') continue;
      const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state[0] === 'Z') continue;
      const args = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').filter(Boolean);
      out.push({ pid: Number(name), ppid: Number(state[1]), args });
    } catch {
      /* gone meanwhile */
    }
  }
  return out;
}

export const fpingChildrenOf = (pid: number): Proc[] => fpingProcs().filter((p) => p.ppid === pid);
export const fpingProbing = (address: string): Proc[] => fpingProcs().filter((p) => p.args.includes(address));

/** a loopback address no other test probes, to find this test's fping wherever it was reparented */
export function markerAddress(): string {
  const b = () => 1 + Math.floor(Math.random() * 254);
  return `127.${100 + Math.floor(Math.random() * 100)}.${b()}.${b()}`;
}
