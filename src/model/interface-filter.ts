import { IANA_IF_TYPES } from './if-types.ts';

/**
 * Interface criteria of the `interfaces` poll profile. Label patterns are globs (`*` only,
 * anchored, case-sensitive) or `/regex/flags` (unanchored, flags i, m, s).
 */
export interface InterfaceMatch {
  /** IANAifType numbers */
  ifType: number[];
  /** matched against the ifName tag (ifName, else ifDescr, else `if<ifIndex>`) */
  ifName: string[];
  ifDescr: string[];
  ifAlias: string[];
}

/**
 * Which interfaces are polled: when `include` lists anything only interfaces matching one of
 * its criteria, and never one matching any `exclude` criterion (exclude wins).
 */
export interface InterfaceFilter {
  include: InterfaceMatch;
  exclude: InterfaceMatch & {
    /** ifAdminStatus down(2) */
    adminDown: boolean;
  };
}

const BY_LOWER_NAME = new Map(Object.entries(IANA_IF_TYPES).map(([name, n]) => [name.toLowerCase(), n]));

/** The IANAifType number of a name (any case) or a decimal string, undefined when unknown. */
export function ifTypeNumber(nameOrNumber: string): number | undefined {
  if (/^\d{1,10}$/.test(nameOrNumber)) return Number(nameOrNumber);
  return BY_LOWER_NAME.get(nameOrNumber.toLowerCase());
}

export const IF_TYPE_NAMES: readonly string[] = Object.keys(IANA_IF_TYPES);

export function isEmptyMatch(m: InterfaceMatch): boolean {
  return m.ifType.length === 0 && m.ifName.length === 0 && m.ifDescr.length === 0 && m.ifAlias.length === 0;
}

/** true when the filter keeps every interface */
export function isNoFilter(f: InterfaceFilter): boolean {
  return isEmptyMatch(f.include) && isEmptyMatch(f.exclude) && !f.exclude.adminDown;
}
