import type { ProfileDefinition } from './types.ts';
import { asBigInt, asText } from '../values.ts';

export const SYSTEM_OIDS = {
  sysDescr: '1.3.6.1.2.1.1.1.0',
  sysObjectID: '1.3.6.1.2.1.1.2.0',
  sysUpTime: '1.3.6.1.2.1.1.3.0',
  sysContact: '1.3.6.1.2.1.1.4.0',
  sysName: '1.3.6.1.2.1.1.5.0',
  sysLocation: '1.3.6.1.2.1.1.6.0',
} as const;

/** SNMPv2-MIB system group → snmp_system. The poller also GETs these as its reachability probe. */
export const systemProfile: ProfileDefinition = {
  profile: {
    name: 'system',
    measurement: 'snmp_system',
    scalars: Object.entries(SYSTEM_OIDS).map(([name, oid]) => ({ name, oid })),
    tables: [],
  },
  toSamples(data, ctx) {
    const s = (n: keyof typeof SYSTEM_OIDS) => data.scalars.get(n);
    const fields: Record<string, bigint | string> = {};
    const uptime = asBigInt(s('sysUpTime'));
    if (uptime !== undefined) fields.uptime_ticks = uptime;
    const text: [string, keyof typeof SYSTEM_OIDS][] = [
      ['sys_descr', 'sysDescr'], ['sys_object_id', 'sysObjectID'], ['sys_name', 'sysName'],
      ['sys_location', 'sysLocation'], ['sys_contact', 'sysContact'],
    ];
    for (const [field, col] of text) {
      const v = asText(s(col));
      if (v !== undefined) fields[field] = v;
    }
    if (Object.keys(fields).length === 0) return [];
    return [{ measurement: 'snmp_system', tags: { device: ctx.device }, fields, time: ctx.time }];
  },
};
