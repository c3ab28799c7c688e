import type { Sample } from '../../model/sample.ts';
import type { ProfileDefinition } from './types.ts';
import { cleanTags, namedRows } from './rows.ts';
import { asBigInt, asNumber, asText } from '../values.ts';

const HR_STORAGE_ENTRY = '1.3.6.1.2.1.25.2.3.1';
const HR_STORAGE_TYPES = '1.3.6.1.2.1.25.2.1';
const STORAGE_TYPE_NAMES: Record<string, string> = {
  1: 'other', 2: 'ram', 3: 'virtualMemory', 4: 'fixedDisk', 5: 'removableDisk', 6: 'floppyDisk',
  7: 'compactDisc', 8: 'ramDisk', 9: 'flashMemory', 10: 'networkDisk',
};

export function storageTypeName(oid: string | undefined): string | undefined {
  if (!oid) return undefined;
  const o = oid.replace(/^\./, '');
  if (o.startsWith(HR_STORAGE_TYPES + '.')) return STORAGE_TYPE_NAMES[o.slice(HR_STORAGE_TYPES.length + 1)] ?? o;
  return o;
}

/** hrStorageSize/Used are Integer32; agents with big disks send them negative (wrapped): undo that. */
export function unsigned32(v: bigint | undefined): bigint | undefined {
  if (v === undefined) return undefined;
  return v < 0n ? v + (1n << 32n) : v;
}

/** HOST-RESOURCES-MIB hrProcessorLoad → snmp_host, hrStorageTable → snmp_host_storage (size × allocation units). */
export const hostResourcesProfile: ProfileDefinition = {
  profile: {
    name: 'host-resources',
    measurement: 'snmp_host',
    scalars: [],
    tables: [
      { name: 'hrProcessorTable', columns: [{ name: 'hrProcessorLoad', oid: '1.3.6.1.2.1.25.3.3.1.2', as: 'field' }] },
      {
        name: 'hrStorageTable',
        measurement: 'snmp_host_storage',
        columns: [
          { name: 'hrStorageType', oid: `${HR_STORAGE_ENTRY}.2`, as: 'tag' },
          { name: 'hrStorageDescr', oid: `${HR_STORAGE_ENTRY}.3`, as: 'tag' },
          { name: 'hrStorageAllocationUnits', oid: `${HR_STORAGE_ENTRY}.4`, as: 'field' },
          { name: 'hrStorageSize', oid: `${HR_STORAGE_ENTRY}.5`, as: 'field' },
          { name: 'hrStorageUsed', oid: `${HR_STORAGE_ENTRY}.6`, as: 'field' },
        ],
      },
    ],
  },
  optionalTables: ['hrProcessorTable', 'hrStorageTable'],
  toSamples(data, ctx) {
    const [cpuTable, storageTable] = this.profile.tables;
    const samples: Sample[] = [];
    const loads = namedRows(cpuTable, data.tables.get('hrProcessorTable'))
      .map((r) => asNumber(r.cols.hrProcessorLoad))
      .filter((v): v is number => v !== undefined);
    if (loads.length > 0) {
      samples.push({
        measurement: 'snmp_host',
        tags: { device: ctx.device },
        fields: { cpu_load_pct: loads.reduce((a, b) => a + b, 0) / loads.length, cpu_count: BigInt(loads.length) },
        time: ctx.time,
      });
    }
    for (const row of namedRows(storageTable, data.tables.get('hrStorageTable'))) {
      const units = asBigInt(row.cols.hrStorageAllocationUnits);
      const size = unsigned32(asBigInt(row.cols.hrStorageSize));
      const used = unsigned32(asBigInt(row.cols.hrStorageUsed));
      if (units === undefined || size === undefined) continue;
      const fields: Sample['fields'] = { size_bytes: size * units };
      if (used !== undefined) {
        fields.used_bytes = used * units;
        if (size > 0n) fields.used_pct = (Number(used) / Number(size)) * 100;
      }
      samples.push({
        measurement: 'snmp_host_storage',
        tags: cleanTags({
          device: ctx.device,
          storage: asText(row.cols.hrStorageDescr) || `storage${row.index}`,
          storage_type: storageTypeName(asText(row.cols.hrStorageType)),
        }),
        fields,
        time: ctx.time,
      });
    }
    return samples;
  },
};
