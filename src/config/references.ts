/**
 * Cross-reference checks (device names, credential and poll profile names). They read the raw
 * tree defensively so they run even when other fields have structural problems: the user sees
 * every problem in one pass.
 */
import { deviceNameKey } from '../model/device-name.ts';
import { BUILTIN_PROFILES, SCHEMA } from '../model/index.ts';
import { closest } from './issues.ts';
import { parentProblems } from './parents.ts';

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export function referenceProblems(tree: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const credNames = isMap(tree.credentials) ? Object.keys(tree.credentials) : [];
  const userProfiles = isMap(tree.profiles) ? tree.profiles : {};
  const knownProfiles = [...BUILTIN_PROFILES, ...Object.keys(userProfiles)];
  const hint = (name: string, names: readonly string[]) => {
    const near = closest(name, names);
    return near ? `; did you mean "${near}"?` : '';
  };

  for (const [name, p] of Object.entries(userProfiles)) {
    const at = `profiles.${name}`;
    if ((BUILTIN_PROFILES as readonly string[]).includes(name)) problems.push(`${at}: shadows the built-in profile "${name}"; choose another name`);
    if (!isMap(p)) continue;
    const tables = Array.isArray(p.tables) ? p.tables.filter(isMap) : [];
    const measurements = new Set([p.measurement, ...tables.map((t) => t.measurement ?? p.measurement)].filter((m) => typeof m === 'string'));
    for (const m of measurements) {
      if (m in SCHEMA) problems.push(`${at}: measurement "${m}" is a built-in measurement; choose another name`);
    }
  }

  const defaults = isMap(tree.defaults) ? tree.defaults : {};
  if (Array.isArray(defaults.profiles)) {
    defaults.profiles.forEach((p, i) => {
      if (typeof p === 'string' && !knownProfiles.includes(p)) problems.push(`defaults.profiles[${i}]: unknown poll profile "${p}"${hint(p, knownProfiles)}`);
    });
  }

  const firstByName = new Map<string, number>();
  (Array.isArray(tree.devices) ? tree.devices : []).forEach((d, i) => {
    if (!isMap(d)) return;
    const at = `devices[${i}]`;
    if (typeof d.name === 'string') {
      const seen = firstByName.get(deviceNameKey(d.name));
      if (seen !== undefined) problems.push(`${at}.name: duplicate device name "${d.name}" (also devices[${seen}]; names are compared ignoring case)`);
      else firstByName.set(deviceNameKey(d.name), i);
    }
    if (typeof d.credentials === 'string' && d.credentials && !credNames.includes(d.credentials)) {
      problems.push(`${at}.credentials: unknown credential profile "${d.credentials}"${hint(d.credentials, credNames)}`);
    }
    if (Array.isArray(d.profiles)) {
      const seen: string[] = [];
      d.profiles.forEach((ref, j) => {
        const name = typeof ref === 'string' ? ref : isMap(ref) && typeof ref.name === 'string' ? ref.name : undefined;
        if (name === undefined) return;
        if (!knownProfiles.includes(name)) problems.push(`${at}.profiles[${j}]: unknown poll profile "${name}"${hint(name, knownProfiles)}`);
        if (seen.includes(name)) problems.push(`${at}.profiles[${j}]: profile "${name}" is listed twice`);
        seen.push(name);
      });
    }
  });
  problems.push(...parentProblems(tree));
  return problems;
}
