/**
 * The time-series schema: a product surface (Grafana dashboards, InfluxQL queries).
 * Producers (poller, icmp, traps) emit exactly these measurements, tags and fields;
 * storage, dashboards and the API read them. `i` = integer (bigint in a Sample),
 * `f` = float (number), `s` = string, `b` = boolean.
 */
export type FieldKind = 'i' | 'f' | 's' | 'b';

export interface MeasurementSchema {
  tags: readonly string[];
  fields: Readonly<Record<string, FieldKind>>;
}

const COUNTERS = [
  'in_octets', 'out_octets', 'in_ucast_pkts', 'out_ucast_pkts', 'in_mcast_pkts', 'out_mcast_pkts',
  'in_bcast_pkts', 'out_bcast_pkts', 'in_errors', 'out_errors', 'in_discards', 'out_discards',
] as const;
const RATES = [
  'in_bps', 'out_bps', 'in_pps', 'out_pps', 'in_errors_ps', 'out_errors_ps', 'in_discards_ps', 'out_discards_ps',
] as const;

export const SCHEMA = {
  snmp_interface: {
    tags: ['device', 'ifName', 'ifIndex', 'ifDescr', 'ifAlias'],
    fields: {
      ...Object.fromEntries(COUNTERS.map((c) => [c, 'i'])),
      oper_status: 'i', admin_status: 'i', speed_bps: 'i', mtu: 'i',
      ...Object.fromEntries(RATES.map((r) => [r, 'f'])),
      in_util_pct: 'f', out_util_pct: 'f',
    },
  },
  snmp_system: {
    tags: ['device'],
    fields: { uptime_ticks: 'i', sys_descr: 's', sys_object_id: 's', sys_name: 's', sys_location: 's', sys_contact: 's' },
  },
  snmp_host: {
    tags: ['device'],
    fields: { cpu_load_pct: 'f', cpu_count: 'i' },
  },
  snmp_host_storage: {
    tags: ['device', 'storage', 'storage_type'],
    fields: { size_bytes: 'i', used_bytes: 'i', used_pct: 'f' },
  },
  snmp_entity: {
    tags: ['device', 'entPhysicalIndex', 'class'],
    fields: { name: 's', descr: 's', serial: 's', model: 's', hw_rev: 's', fw_rev: 's', sw_rev: 's', parent: 'i' },
  },
  icmp: {
    tags: ['device', 'address'],
    fields: { rtt_min_ms: 'f', rtt_avg_ms: 'f', rtt_max_ms: 'f', jitter_ms: 'f', loss_pct: 'f', sent: 'i', received: 'i', up: 'i' },
  },
  device_status: {
    tags: ['device', 'snmp_version'],
    fields: { state: 's', state_code: 'i', poll_duration_ms: 'f', missed_polls: 'i', error: 's' },
  },
  snmp_trap: {
    tags: ['device', 'trap', 'version', 'severity'],
    fields: { trap_oid: 's', source: 's', varbinds: 's', count: 'i' },
  },
} as const satisfies Record<string, MeasurementSchema>;

export type MeasurementName = keyof typeof SCHEMA;

/** device_status.state_code: 0 up, 1 snmp-unreachable, 2 auth-failed, 3 down, 4 unknown */
export const STATE_CODES = { up: 0, 'snmp-unreachable': 1, 'auth-failed': 2, down: 3, unknown: 4 } as const;

/** Built-in poll profile names (their content lives in src/poller). */
export const BUILTIN_PROFILES = ['system', 'interfaces', 'host-resources', 'entity'] as const;
