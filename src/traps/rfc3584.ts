/** SNMPv1 → SNMPv2 notification mapping (RFC 3584 §3.1). */
export const SNMP_TRAPS = '1.3.6.1.6.3.1.1.5';
export const SYS_UPTIME_0 = '1.3.6.1.2.1.1.3.0';
export const SNMP_TRAP_OID_0 = '1.3.6.1.6.3.1.1.4.1.0';
export const SNMP_TRAP_ADDRESS_0 = '1.3.6.1.6.3.18.1.3.0';
export const SNMP_TRAP_ENTERPRISE_0 = '1.3.6.1.6.3.1.1.4.3.0';

/** generic-trap 0–5 → snmpTraps.1–6; 6 (enterpriseSpecific) → enterprise.0.specific */
export function v1TrapOid(enterprise: string, genericTrap: number, specificTrap: number): string {
  const ent = enterprise.replace(/^\./, '');
  if (genericTrap >= 0 && genericTrap <= 5) return `${SNMP_TRAPS}.${genericTrap + 1}`;
  return `${ent}.0.${specificTrap}`;
}

export const GENERIC_TRAP_NAMES = ['coldStart', 'warmStart', 'linkDown', 'linkUp', 'authenticationFailure', 'egpNeighborLoss', 'enterpriseSpecific'] as const;
