import type { SnmpClient, TableRow, Varbind } from '../../src/snmp/types.ts';
import { groupRows } from '../../src/snmp/walk.ts';

/** An in-memory agent: full OID -> value; `fail` makes table walks over a column throw. */
export function fakeClient(vals: Record<string, Varbind['value']>, fail: (columns: string[], rows: TableRow[]) => Error | undefined = () => undefined): SnmpClient {
  const typeOf = (v: unknown): Varbind['type'] => Buffer.isBuffer(v) ? 'OctetString' : typeof v === 'number' ? 'Integer' : typeof v === 'string' ? 'IpAddress' : 'Null';
  const vb = (oid: string): Varbind => ({ oid, type: oid in vals ? typeOf(vals[oid]) : 'NoSuchObject', value: oid in vals ? vals[oid] : null });
  return {
    async get(_t, oids) { return oids.map(vb); },
    async walk() { return []; },
    async table(_t, cols) {
      const perColumn = new Map(cols.map((c) => [c, Object.keys(vals).filter((o) => o.startsWith(`${c}.`)).map(vb)]));
      const rows = groupRows(cols, perColumn);
      const err = fail(cols, rows);
      if (err) throw err;
      return rows;
    },
    async close() {},
  };
}

export const target = { address: '127.0.0.1', port: 161, credential: { version: '2c' as const, community: 'x' }, timeoutMs: 1, retries: 0, maxRepetitions: 10 };
export const octets = (s: string) => Buffer.from(s, 'latin1');
