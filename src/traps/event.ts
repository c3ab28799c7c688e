import type { SecurityLevel, SnmpVersion } from '../model/credentials.ts';
import type { VarbindType } from '../snmp/types.ts';

/** One varbind of a received trap, display-ready (strings, numbers; Counter64 as bigint). */
export interface TrapVarbind {
  oid: string;
  /** `IF-MIB::ifDescr.3` when a Translator is plugged in */
  name?: string;
  type: VarbindType;
  /** raw value (rules compare this): numbers stay numbers, OCTET STRINGs are text or hex */
  value: string | number | bigint | null;
  /** dictionary rendering (`down(2)`, display hints, OID values by name) when a Translator is plugged in */
  display?: string;
}

/** A received, authenticated notification (v1 trap, v2c/v3 trap or inform). */
export interface TrapEvent {
  /** ms since the epoch */
  receivedAt: number;
  source: { address: string; port: number };
  /** the device the claimed originator (v1 agent-addr / snmpTrapAddress.0) names, else the source's (`deviceOf`) */
  device?: string;
  version: SnmpVersion;
  pdu: 'TrapV1' | 'TrapV2' | 'InformRequest';
  /** community LABEL from config, never the secret */
  community?: string;
  user?: string;
  securityLevel?: SecurityLevel;
  /** hex; the sender's engine for v3 traps, ours for v3 informs */
  engineId?: string;
  contextName?: string;
  /** snmpTrapOID.0; for v1 traps the RFC 3584 mapping */
  trapOid: string;
  trapName?: string;
  /** sysUpTime.0 (v1: the timestamp), in hundredths of a second */
  uptime?: number;
  v1?: { enterprise: string; agentAddr: string; genericTrap: number; specificTrap: number };
  /** the payload: without sysUpTime.0 and snmpTrapOID.0 */
  varbinds: TrapVarbind[];
}

/** Plug-in for the OID dictionary (src/mib); without one, everything prints numerically. */
export interface Translator {
  /** `1.3.6.1.2.1.2.2.1.2.3` → `IF-MIB::ifDescr.3`, or undefined when unknown */
  translate(oid: string): string | undefined;
  /** enum labels and display hints: `down(2)`; undefined to keep the raw value. `raw`: an OCTET STRING's bytes */
  formatValue?(oid: string, type: VarbindType, value: TrapVarbind['value'], raw: Uint8Array | undefined): string | undefined;
}

/** Resolves a source address to a configured device name. */
export type DeviceResolver = (address: string) => string | undefined;
