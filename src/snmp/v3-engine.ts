/**
 * What a net-snmp 3.29 v3 session learned about its agent's engine, read and updated in
 * place so that net-snmp (GET, discovery) and the wire fast path (fast-bulk-v3.ts) share one
 * notion of the engine's boots and time. net-snmp keeps them as undocumented fields:
 * `msgSecurityParameters` (engine ID, boots and time from discovery, set by the first
 * Report) and `engineTimeBoots`/`engineTimeBase`/`latestReceivedEngineTime`/
 * `engineTimeReceivedAt` (RFC 3414 §2.3 time notion, set by authentic messages) with
 * `getEngineTime()`, `setEngineTime(message)` and `isInTimeWindow(message)` over them.
 */
import type { Session } from 'net-snmp';

interface EngineParams {
  msgAuthoritativeEngineID: Buffer | string;
  msgAuthoritativeEngineBoots: number;
  msgAuthoritativeEngineTime: number;
}

/** The duck-typed message net-snmp's setEngineTime/isInTimeWindow read. */
interface TimeMessage {
  msgSecurityParameters: { msgAuthoritativeEngineBoots: number; msgAuthoritativeEngineTime: number };
  hasAuthentication(): boolean;
}

interface V3SessionInternals {
  msgSecurityParameters?: EngineParams | null;
  engineTimeBoots?: number | null;
  engineTimeBase?: number;
  latestReceivedEngineTime?: number;
  engineTimeReceivedAt?: number | null;
  getEngineTime?(): { engineBoots: number; engineTime: number } | null;
  setEngineTime?(m: TimeMessage): void;
  isInTimeWindow?(m: TimeMessage): boolean;
}

export interface EngineNotion {
  engineId: Buffer;
  engineBoots: number;
  engineTime: number;
}

const internals = (s: Session) => s as unknown as V3SessionInternals;

/** True when this net-snmp build exposes what the fast path needs (checked once per session). */
export function hasEngineInternals(s: Session): boolean {
  const i = internals(s);
  return typeof i.getEngineTime === 'function' && typeof i.setEngineTime === 'function' && typeof i.isInTimeWindow === 'function';
}

/**
 * The engine to address requests to, or undefined while net-snmp has not discovered it yet,
 * or (with `needTime`, for authenticated levels) not yet synchronised its clock.
 */
export function currentEngine(s: Session, needTime: boolean): EngineNotion | undefined {
  const i = internals(s);
  const p = i.msgSecurityParameters;
  if (!p || !Buffer.isBuffer(p.msgAuthoritativeEngineID) || p.msgAuthoritativeEngineID.length === 0) return undefined;
  const t = i.getEngineTime!();
  if (!t) {
    if (needTime) return undefined;
    return { engineId: p.msgAuthoritativeEngineID, engineBoots: p.msgAuthoritativeEngineBoots, engineTime: p.msgAuthoritativeEngineTime };
  }
  return { engineId: p.msgAuthoritativeEngineID, engineBoots: t.engineBoots, engineTime: t.engineTime };
}

function timeMessage(engineBoots: number, engineTime: number): TimeMessage {
  return { msgSecurityParameters: { msgAuthoritativeEngineBoots: engineBoots, msgAuthoritativeEngineTime: engineTime }, hasAuthentication: () => true };
}

/**
 * RFC 3414 §3.2 step 7b for an authentic response: advance the time notion if the message
 * does, then say whether the message is inside the time window (net-snmp's own logic).
 */
export function acceptAuthenticTime(s: Session, engineBoots: number, engineTime: number): boolean {
  const i = internals(s);
  const m = timeMessage(engineBoots, engineTime);
  i.setEngineTime!(m);
  return i.isInTimeWindow!(m);
}

/** Takes the agent's boots/time from a notInTimeWindow report as the new notion (resynchronisation). */
export function resyncTime(s: Session, engineBoots: number, engineTime: number): void {
  const i = internals(s);
  i.engineTimeBoots = engineBoots;
  i.engineTimeBase = engineTime;
  i.latestReceivedEngineTime = engineTime;
  i.engineTimeReceivedAt = performance.now();
  if (i.msgSecurityParameters) {
    i.msgSecurityParameters.msgAuthoritativeEngineBoots = engineBoots;
    i.msgSecurityParameters.msgAuthoritativeEngineTime = engineTime;
  }
}
