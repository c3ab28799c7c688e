import type { Sample } from '../../model/sample.ts';
import type { ProfileDefinition } from './types.ts';
import { cleanTags, namedRows } from './rows.ts';
import { asBigInt, asText } from '../values.ts';

const ENT_PHYSICAL_ENTRY = '1.3.6.1.2.1.47.1.1.1.1';
const CLASS_NAMES: Record<string, string> = {
  1: 'other', 2: 'unknown', 3: 'chassis', 4: 'backplane', 5: 'container', 6: 'powerSupply', 7: 'fan',
  8: 'sensor', 9: 'module', 10: 'port', 11: 'stack', 12: 'cpu', 13: 'energyObject', 14: 'battery', 15: 'storageDrive',
};
const TEXT_FIELDS: Record<string, [string, number]> = {
  descr: ['entPhysicalDescr', 2], name: ['entPhysicalName', 7], hw_rev: ['entPhysicalHardwareRev', 8],
  fw_rev: ['entPhysicalFirmwareRev', 9], sw_rev: ['entPhysicalSoftwareRev', 10], serial: ['entPhysicalSerialNum', 11],
  model: ['entPhysicalModelName', 13],
};

/** ENTITY-MIB entPhysicalTable → snmp_entity (hardware inventory: chassis, modules, PSUs, fans, ports). */
export const entityProfile: ProfileDefinition = {
  profile: {
    name: 'entity',
    measurement: 'snmp_entity',
    scalars: [],
    tables: [{
      name: 'entPhysicalTable',
      indexTag: 'entPhysicalIndex',
      columns: [
        { name: 'entPhysicalContainedIn', oid: `${ENT_PHYSICAL_ENTRY}.4`, as: 'field' },
        { name: 'entPhysicalClass', oid: `${ENT_PHYSICAL_ENTRY}.5`, as: 'tag' },
        ...Object.values(TEXT_FIELDS).map(([name, n]) => ({ name, oid: `${ENT_PHYSICAL_ENTRY}.${n}`, as: 'field' as const })),
      ],
    }],
  },
  optionalTables: ['entPhysicalTable'],
  toSamples(data, ctx) {
    const samples: Sample[] = [];
    for (const row of namedRows(this.profile.tables[0], data.tables.get('entPhysicalTable'))) {
      const fields: Sample['fields'] = {};
      for (const [field, [col]] of Object.entries(TEXT_FIELDS)) {
        const v = asText(row.cols[col]);
        if (v !== undefined) fields[field] = v;
      }
      const parent = asBigInt(row.cols.entPhysicalContainedIn);
      if (parent !== undefined) fields.parent = parent;
      if (Object.keys(fields).length === 0) continue;
      const cls = asText(row.cols.entPhysicalClass);
      samples.push({
        measurement: 'snmp_entity',
        tags: cleanTags({ device: ctx.device, entPhysicalIndex: row.index, class: cls === undefined ? undefined : CLASS_NAMES[cls] ?? cls }),
        fields,
        time: ctx.time,
      });
    }
    return samples;
  },
};
