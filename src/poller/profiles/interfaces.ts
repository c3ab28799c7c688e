import type { ProfileColumn } from '../../model/profile.ts';
import type { FieldValue, Sample } from '../../model/sample.ts';
import type { Varbind } from '../../snmp/types.ts';
import type { NamedRow, ProfileDefinition } from './types.ts';
import { cleanTags, joinByIndex, namedRows } from './rows.ts';
import { asBigInt, asNumber, asText, isPresent } from '../values.ts';
import { counterRate, interfaceSpeedBps, utilisationPct, type CounterReading } from '../rates.ts';

const IF_ENTRY = '1.3.6.1.2.1.2.2.1';
const IFX_ENTRY = '1.3.6.1.2.1.31.1.1.1';

const IF_COLUMNS: Record<string, number> = {
  ifDescr: 2, ifType: 3, ifMtu: 4, ifSpeed: 5, ifAdminStatus: 7, ifOperStatus: 8, ifInOctets: 10, ifInUcastPkts: 11,
  ifInDiscards: 13, ifInErrors: 14, ifOutOctets: 16, ifOutUcastPkts: 17, ifOutDiscards: 19, ifOutErrors: 20,
};
const IFX_COLUMNS: Record<string, number> = {
  ifName: 1, ifInMulticastPkts: 2, ifInBroadcastPkts: 3, ifOutMulticastPkts: 4, ifOutBroadcastPkts: 5,
  ifHCInOctets: 6, ifHCInUcastPkts: 7, ifHCInMulticastPkts: 8, ifHCInBroadcastPkts: 9, ifHCOutOctets: 10,
  ifHCOutUcastPkts: 11, ifHCOutMulticastPkts: 12, ifHCOutBroadcastPkts: 13, ifHighSpeed: 15, ifAlias: 18,
};
const LABELS = new Set(['ifDescr', 'ifName', 'ifAlias']);

function columns(entry: string, cols: Record<string, number>): ProfileColumn[] {
  return Object.entries(cols).map(([name, n]) => ({ name, oid: `${entry}.${n}`, as: LABELS.has(name) ? 'tag' : 'field' }));
}

/** schema counter field → [64-bit ifXTable column, 32-bit column]; the HC column wins when the agent has it. */
export const INTERFACE_COUNTERS: Record<string, [string | undefined, string]> = {
  in_octets: ['ifHCInOctets', 'ifInOctets'],
  out_octets: ['ifHCOutOctets', 'ifOutOctets'],
  in_ucast_pkts: ['ifHCInUcastPkts', 'ifInUcastPkts'],
  out_ucast_pkts: ['ifHCOutUcastPkts', 'ifOutUcastPkts'],
  in_mcast_pkts: ['ifHCInMulticastPkts', 'ifInMulticastPkts'],
  out_mcast_pkts: ['ifHCOutMulticastPkts', 'ifOutMulticastPkts'],
  in_bcast_pkts: ['ifHCInBroadcastPkts', 'ifInBroadcastPkts'],
  out_bcast_pkts: ['ifHCOutBroadcastPkts', 'ifOutBroadcastPkts'],
  in_errors: [undefined, 'ifInErrors'],
  out_errors: [undefined, 'ifOutErrors'],
  in_discards: [undefined, 'ifInDiscards'],
  out_discards: [undefined, 'ifOutDiscards'],
};

function reading(vb: Varbind | undefined, width: 32 | 64): CounterReading | undefined {
  const v = isPresent(vb) ? asBigInt(vb) : undefined;
  return v === undefined ? undefined : { value: v, width: vb!.type === 'Counter64' ? 64 : width };
}

export function pickCounters(row: NamedRow): Record<string, CounterReading> {
  const out: Record<string, CounterReading> = {};
  for (const [field, [hc, low]] of Object.entries(INTERFACE_COUNTERS)) {
    const r = (hc ? reading(row.cols[hc], 64) : undefined) ?? reading(row.cols[low], 32);
    if (r) out[field] = r;
  }
  return out;
}

const SMALLEST_FRAME_BITS = 512;

const HC_CAPABILITY = 'interfaces:hc-counters';
/** ifXTable answered with rows once: from then on its failure is not "absent" */
const IFX_CAPABILITY = 'interfaces:ifx-table';
/** 32-bit columns not needed when the agent has the 64-bit ones (28 → 20 columns per row) */
const COVERED_BY_HC = new Set(Object.values(INTERFACE_COUNTERS).filter(([hc]) => hc !== undefined).map(([, low]) => low));
/** fetched only for an interface filter on ifType: no field of its own */
const FILTER_ONLY = 'ifType';

function hasAllHc(row: NamedRow): boolean {
  for (const [hc] of Object.values(INTERFACE_COUNTERS)) {
    if (hc !== undefined && row.cols[hc]?.type !== 'Counter64') return false;
  }
  return true;
}

/** Rates from two readings of one interface; fields are left out where no trustworthy delta exists. */
export function interfaceRates(
  prev: { at: number; counters: Record<string, CounterReading> } | undefined,
  now: { at: number; counters: Record<string, CounterReading> },
  speedBps: number | undefined,
): Record<string, number> {
  if (!prev) return {};
  const dt = now.at - prev.at;
  const rate = (f: string, maxPerSecond?: number) => {
    const a = prev.counters[f];
    const b = now.counters[f];
    return a && b ? counterRate(a, b, dt, maxPerSecond) : undefined;
  };
  const octetsMax = speedBps !== undefined ? speedBps / 8 : undefined;
  const pktsMax = speedBps !== undefined ? speedBps / SMALLEST_FRAME_BITS : undefined;
  const out: Record<string, number> = {};
  for (const dir of ['in', 'out'] as const) {
    const octets = rate(`${dir}_octets`, octetsMax);
    if (octets !== undefined) {
      out[`${dir}_bps`] = octets * 8;
      const util = utilisationPct(octets * 8, speedBps);
      if (util !== undefined) out[`${dir}_util_pct`] = util;
    }
    const ucast = rate(`${dir}_ucast_pkts`, pktsMax);
    if (ucast !== undefined) {
      let pps = ucast;
      for (const kind of ['mcast', 'bcast']) {
        const has = prev.counters[`${dir}_${kind}_pkts`] && now.counters[`${dir}_${kind}_pkts`];
        const r = rate(`${dir}_${kind}_pkts`, pktsMax);
        if (has && r === undefined) { pps = NaN; break; }
        if (r !== undefined) pps += r;
      }
      if (!Number.isNaN(pps)) out[`${dir}_pps`] = pps;
    }
    for (const kind of ['errors', 'discards']) {
      const r = rate(`${dir}_${kind}`, pktsMax);
      if (r !== undefined) out[`${dir}_${kind}_ps`] = r;
    }
  }
  return out;
}

/** IF-MIB ifTable + ifXTable → snmp_interface, counters as bigint plus per-second rates. */
export const interfacesProfile: ProfileDefinition = {
  profile: {
    name: 'interfaces',
    measurement: 'snmp_interface',
    scalars: [],
    tables: [
      { name: 'ifTable', columns: columns(IF_ENTRY, IF_COLUMNS), indexTag: 'ifIndex' },
      { name: 'ifXTable', columns: columns(IFX_ENTRY, IFX_COLUMNS), indexTag: 'ifIndex' },
    ],
  },
  optionalTables: ['ifXTable'],
  columnsToFetch(table, memory, ctx) {
    const hc = memory.capability(HC_CAPABILITY) === true;
    const ifType = ctx?.interfaces?.needsIfType === true;
    return table.columns.filter((c) => (c.name === FILTER_ONLY ? ifType : !(hc && COVERED_BY_HC.has(c.name))));
  },
  expectsTable(table, memory) {
    return table.name === 'ifXTable' && memory.capability(IFX_CAPABILITY) === true;
  },
  toSamples(data, ctx) {
    const [ifTable, ifXTable] = this.profile.tables;
    const rows = joinByIndex(namedRows(ifTable, data.tables.get('ifTable')), namedRows(ifXTable, data.tables.get('ifXTable')));
    const samples: Sample[] = [];
    const selector = ctx.interfaces;
    let kept = 0;
    let allHc = true;
    for (const row of rows) {
      const key = `interfaces/${row.index}`;
      const descr = asText(row.cols.ifDescr);
      const name = asText(row.cols.ifName) || descr || `if${row.index}`;
      const alias = asText(row.cols.ifAlias);
      if (selector && !selector.polls({ ifType: asNumber(row.cols.ifType), ifName: name, ifDescr: descr || name, ifAlias: alias ?? '', ifAdminStatus: asNumber(row.cols.ifAdminStatus) })) {
        ctx.memory.forget(key);
        continue;
      }
      kept++;
      const fields: Record<string, FieldValue> = {};
      const counters = pickCounters(row);
      for (const [f, r] of Object.entries(counters)) fields[f] = r.value;
      const speed = interfaceSpeedBps(asNumber(row.cols.ifSpeed), asNumber(row.cols.ifHighSpeed));
      if (speed !== undefined) fields.speed_bps = BigInt(Math.round(speed));
      const ints: [string, string][] = [['oper_status', 'ifOperStatus'], ['admin_status', 'ifAdminStatus'], ['mtu', 'ifMtu']];
      for (const [f, col] of ints) {
        const v = asBigInt(row.cols[col]);
        if (v !== undefined) fields[f] = v;
      }
      if (hasAllHc(row) === false) allHc = false;
      const now = { at: ctx.readAt ?? ctx.time, counters };
      Object.assign(fields, interfaceRates(ctx.memory.previous(key), now, speed));
      // a reading without counters keeps the old baseline: the next poll's rate spans both intervals
      if (Object.keys(counters).length > 0) ctx.memory.remember(key, now.at, counters);
      if (Object.keys(fields).length === 0) continue;
      samples.push({
        measurement: 'snmp_interface',
        tags: cleanTags({ device: ctx.device, ifName: name, ifIndex: row.index, ifDescr: descr || name, ifAlias: alias }),
        fields,
        time: ctx.time,
      });
    }
    if (selector && ctx.counts) ctx.counts.interfacesFiltered = rows.length - kept;
    // once every polled row has all 64-bit counters, later polls skip the 32-bit columns they replace
    ctx.memory.setCapability(HC_CAPABILITY, kept > 0 && allHc);
    if ((data.tables.get('ifXTable')?.length ?? 0) > 0) ctx.memory.setCapability(IFX_CAPABILITY, true);
    return samples;
  },
};
