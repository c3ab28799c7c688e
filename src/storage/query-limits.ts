/**
 * Caps on one query's answer, the same for both stores. Beyond either the query fails with a
 * NetpulseError of kind 'invalid' (the API answers 422): an error, never a truncated answer.
 */
import { NetpulseError } from '../errors/index.ts';

export interface QueryLimits {
  /** series one query (or `latest`) may return at most */
  maxQuerySeries: number;
  /** points one query may return at most (all series together) */
  maxQueryPoints: number;
}

export const QUERY_LIMITS: QueryLimits = { maxQuerySeries: 10_000, maxQueryPoints: 1_000_000 };

/** `target` names the store: `sqlite <file>`, `influxdb <url>` */
export function tooManySeries(target: string, measurement: string, max: number): NetpulseError {
  return tooMuch(target, `${measurement}: more than ${max} series match (maxQuerySeries); filter by device or tags`);
}

export function tooManyPoints(target: string, measurement: string, max: number): NetpulseError {
  return tooMuch(target, `${measurement}: more than ${max} points (maxQueryPoints); set a step or a limit, or narrow from..to`);
}

export function tooMuch(target: string, reason: string): NetpulseError {
  return new NetpulseError({ scope: 'storage', target, action: 'query', reason, kind: 'invalid' });
}
