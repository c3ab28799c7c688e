/** Helpers the link builders share (ospf-links.ts, ospf-adjacencies.ts, previous-links.ts). */

/** by UTF-16 code units, as `<` orders strings (not localeCompare): the same order everywhere */
export function compareStrings(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

/** appends `value` to the list kept under `key` */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
