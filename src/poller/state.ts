/** Device state from ICMP and SNMP together (pure). */
import type { DeviceState } from '../model/device.ts';

export interface ProbeOutcome {
  /** ICMP verdict; undefined when ICMP is disabled for the device or was not checked */
  icmpUp: boolean | undefined;
  /** undefined when the SNMP probe (system group GET) answered; else the NetpulseError kind */
  snmpErrorKind: string | undefined;
}

/** SNMP error kinds that say nothing about the host being there */
const NOTHING_HEARD = new Set(['timeout', 'config']);

/**
 * - SNMP answered → `up`
 * - SNMP refused our credentials (v3 USM report: unknown user, wrong digest, decryption) → `auth-failed`
 * - SNMP silent or broken, ICMP answers → `snmp-unreachable` (wrong community, agent down, port filtered)
 * - SNMP silent, ICMP silent → `down`
 * - SNMP silent, ICMP not checked → `down` (nothing answered; as LibreNMS does without ping)
 * - SNMP answered with something other than a timeout (malformed, tooBig) and no ICMP → `snmp-unreachable`: the host is there
 * - nothing was sent (`config`: the name does not resolve, unusable credential) and no ICMP → `down`, as for silence
 * - nothing was sent because the name waited too long for a lookup slot (`busy`, a local limit) →
 *   undefined: not decided, the device keeps its previous state; unless ICMP went silent → `down`
 */
export function decideState(o: ProbeOutcome): DeviceState | undefined {
  if (o.snmpErrorKind === undefined) return 'up';
  if (o.snmpErrorKind === 'busy') return o.icmpUp === false ? 'down' : undefined;
  if (o.snmpErrorKind === 'auth') return 'auth-failed';
  if (o.icmpUp === true) return 'snmp-unreachable';
  if (o.icmpUp === false) return 'down';
  return NOTHING_HEARD.has(o.snmpErrorKind) ? 'down' : 'snmp-unreachable';
}
