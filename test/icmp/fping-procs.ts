/** fping (or ping) processes seen in /proc: children of a pid, or any probing a given address (an orphan's parent is init). */
import { readdirSync, readFileSync } from 'node:fs';

export interface Proc {
  pid: number;
  ppid: number;
  /** its process group */
  pgrp: number;
  args: string[];
}

function procsNamed(command: string): Proc[] {
  const out: Proc[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // comm is in parentheses and may hold spaces: the fields after it start at the last ')'
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (comm !== command) continue;
      const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state[0] === 'Z') continue;
      const args = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').filter(Boolean);
      out.push({ pid: Number(name), ppid: Number(state[1]), pgrp: Number(state[2]), args });
    } catch {
      /* gone meanwhile */
    }
  }
  return out;
}

export const fpingChildrenOf = (pid: number): Proc[] => procsNamed('fping').filter((p) => p.ppid === pid);
export const fpingProbing = (address: string): Proc[] => procsNamed('fping').filter((p) => p.args.includes(address));
/** the system ping's processes (the fallback engine) that are children of a pid */
export const pingChildrenOf = (pid: number): Proc[] => procsNamed('ping').filter((p) => p.ppid === pid);

/** a loopback address no other test probes, to find this test's fping wherever it was reparented */
export function markerAddress(): string {
  const b = () => 1 + Math.floor(Math.random() * 254);
  return `127.${100 + Math.floor(Math.random() * 100)}.${b()}.${b()}`;
}
