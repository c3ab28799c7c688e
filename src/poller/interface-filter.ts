/** Compiles an InterfaceFilter (src/model) into the predicate the interfaces profile runs on every row. */
import { compileLabelPattern } from '../alerts/label-pattern.ts';
import { isEmptyMatch, isNoFilter, type InterfaceFilter, type InterfaceMatch } from '../model/interface-filter.ts';

/** One interface as polled this cycle; the strings are its tag values. */
export interface InterfaceLabels {
  ifType: number | undefined;
  ifName: string;
  ifDescr: string;
  ifAlias: string;
  ifAdminStatus: number | undefined;
}

export interface InterfaceSelector {
  /** true when the interface is polled */
  polls(labels: InterfaceLabels): boolean;
  /** the filter looks at ifType (a column the profile fetches only then) */
  readonly needsIfType: boolean;
}

const ADMIN_DOWN = 2;

type Matcher = (labels: InterfaceLabels) => boolean;

function matcher(m: InterfaceMatch): Matcher {
  const types = new Set(m.ifType);
  const tests: [keyof InterfaceLabels & ('ifName' | 'ifDescr' | 'ifAlias'), (s: string) => boolean][] = [];
  for (const key of ['ifName', 'ifDescr', 'ifAlias'] as const) for (const p of m[key]) tests.push([key, compileLabelPattern(p)]);
  return (l) => {
    if (l.ifType !== undefined && types.has(l.ifType)) return true;
    for (const [key, test] of tests) if (test(l[key])) return true;
    return false;
  };
}

function compile(f: InterfaceFilter): InterfaceSelector {
  const include = isEmptyMatch(f.include) ? undefined : matcher(f.include);
  const exclude = matcher(f.exclude);
  const adminDown = f.exclude.adminDown;
  return {
    needsIfType: f.include.ifType.length > 0 || f.exclude.ifType.length > 0,
    polls: (l) => (include === undefined || include(l)) && !(adminDown && l.ifAdminStatus === ADMIN_DOWN) && !exclude(l),
  };
}

const compiled = new WeakMap<InterfaceFilter, InterfaceSelector | null>();

/**
 * The selector for a filter, compiled once per filter object; undefined when it keeps every
 * interface. Throws on a pattern the config check would have rejected.
 */
export function interfaceSelector(filter: InterfaceFilter | undefined): InterfaceSelector | undefined {
  if (!filter) return undefined;
  let s = compiled.get(filter);
  if (s === undefined) {
    s = isNoFilter(filter) ? null : compile(filter);
    compiled.set(filter, s);
  }
  return s ?? undefined;
}
