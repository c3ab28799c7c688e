/**
 * A `Retry-After` answer header in ms from `now`: delay-seconds (`120`) or an HTTP-date
 * (`Fri, 04 Dec 2026 20:30:00 GMT`); a date in the past is 0. undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  // an HTTP-date names its weekday or month; Date.parse would also take `1.5` or `2026` as dates
  if (!/[a-z]/i.test(v)) return undefined;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
