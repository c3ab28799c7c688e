/** Checks of devices' `parents:` (alert suppression behind a down parent): known names, no self-parent, no cycles. */
import { parentCycles } from '../alerts/suppression.ts';

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export function parentProblems(tree: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const devices = (Array.isArray(tree.devices) ? tree.devices : []).map((d) => (isMap(d) ? d : {}));
  const index = new Map<string, number>();
  devices.forEach((d, i) => {
    if (typeof d.name === 'string' && !index.has(d.name)) index.set(d.name, i);
  });
  const graph = new Map<string, string[]>();
  devices.forEach((d, i) => {
    if (!Array.isArray(d.parents) || typeof d.name !== 'string') return;
    const ok: string[] = [];
    d.parents.forEach((p, j) => {
      if (typeof p !== 'string') return;
      const at = `devices[${i}].parents[${j}]`;
      if (p === d.name) problems.push(`${at}: device "${p}" cannot be its own parent`);
      else if (!index.has(p)) problems.push(`${at}: unknown device "${p}" (parents name devices of this file)`);
      else ok.push(p);
    });
    graph.set(d.name, ok);
  });
  const reported = new Set<string>();
  for (const cycle of parentCycles(graph)) {
    const key = cycle.slice(0, -1).sort().join(',');
    if (reported.has(key)) continue;
    reported.add(key);
    const i = index.get(cycle[0])!;
    problems.push(`devices[${i}].parents: parent cycle ${cycle.join(' -> ')}`);
  }
  return problems;
}
