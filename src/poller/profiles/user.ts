import type { PollProfile } from '../../model/profile.ts';
import type { Sample } from '../../model/sample.ts';
import { isValidOid, normalizeOid } from '../../snmp/oid.ts';
import type { ProfileDefinition } from './types.ts';
import { cleanTags, namedRows } from './rows.ts';
import { asField, asText } from '../values.ts';

/** Resolves a MIB object name (`IF-MIB::ifInOctets`, `ifInOctets`) to a numeric OID; supplied by the OID dictionary. */
export type OidResolver = (name: string) => string | undefined;

function resolveOid(oid: string, where: string, resolve: OidResolver | undefined, problems: string[]): string {
  if (isValidOid(oid)) return normalizeOid(oid);
  const found = resolve?.(oid);
  if (found !== undefined && isValidOid(found)) return normalizeOid(found);
  problems.push(`${where}: cannot resolve "${oid}" to a numeric OID${resolve ? ' (not in the OID dictionary)' : ' (no OID dictionary loaded; use a numeric OID)'}`);
  return oid;
}

/** Resolves names to OIDs; returns the problems (one line each) instead of throwing. */
export function resolveProfile(p: PollProfile, resolve?: OidResolver): { profile: PollProfile; problems: string[] } {
  const problems: string[] = [];
  const at = `profiles.${p.name}`;
  const profile: PollProfile = {
    name: p.name,
    measurement: p.measurement,
    scalars: (p.scalars ?? []).map((s, i) => ({ ...s, oid: resolveOid(s.oid, `${at}.scalars[${i}].oid`, resolve, problems) })),
    tables: (p.tables ?? []).map((t, ti) => ({
      ...t,
      columns: t.columns.map((c, ci) => ({ ...c, oid: resolveOid(c.oid, `${at}.tables[${ti}].columns[${ci}].oid`, resolve, problems) })),
    })),
  };
  return { profile, problems };
}

/**
 * A user profile: scalars become one sample (tags: device) in the profile's measurement;
 * each table row becomes a sample in the table's measurement with tags device, the row
 * index (under `indexTag`, default `index`) and the tag columns; field columns are fields.
 */
export function userProfile(profile: PollProfile): ProfileDefinition {
  return {
    profile,
    toSamples(data, ctx) {
      const samples: Sample[] = [];
      const scalarFields: Sample['fields'] = {};
      for (const s of profile.scalars) {
        const v = asField(data.scalars.get(s.name));
        if (v !== undefined) scalarFields[s.name] = v;
      }
      if (Object.keys(scalarFields).length > 0) {
        samples.push({ measurement: profile.measurement, tags: { device: ctx.device }, fields: scalarFields, time: ctx.time });
      }
      for (const table of profile.tables) {
        for (const row of namedRows(table, data.tables.get(table.name))) {
          const tags: Record<string, string | undefined> = { device: ctx.device, [table.indexTag ?? 'index']: row.index };
          const fields: Sample['fields'] = {};
          for (const c of table.columns) {
            if (c.as === 'tag') tags[c.name] = asText(row.cols[c.name]);
            else {
              const v = asField(row.cols[c.name]);
              if (v !== undefined) fields[c.name] = v;
            }
          }
          if (Object.keys(fields).length === 0) continue;
          samples.push({ measurement: table.measurement ?? profile.measurement, tags: cleanTags(tags), fields, time: ctx.time });
        }
      }
      return samples;
    },
  };
}
