import { NetpulseError } from '../../src/errors/index.ts';
import type { SnmpClient, SnmpTarget, TableRow, Varbind, VarbindType } from '../../src/snmp/types.ts';
import type { IcmpChecker, IcmpResult } from '../../src/icmp/types.ts';
import { summarize } from '../../src/icmp/stats.ts';
import { compareOids } from '../../src/snmp/oid.ts';
import type { ResolvedDevice } from '../../src/model/device.ts';

export function vb(oid: string, type: VarbindType, value: Varbind['value']): Varbind {
  return { oid, type, value };
}
export const str = (oid: string, s: string) => vb(oid, 'OctetString', Buffer.from(s));

/** An in-memory agent per address:port; `fail` makes every request reject with that kind. */
export class FakeSnmpClient implements SnmpClient {
  agents = new Map<string, { mib: Map<string, Varbind>; fail?: string; delayMs?: number }>();
  requests: string[] = [];

  agent(address: string, port: number, varbinds: Varbind[], fail?: string, delayMs?: number): void {
    this.agents.set(`${address}:${port}`, { mib: new Map(varbinds.map((v) => [v.oid, v])), fail, delayMs });
  }

  private async lookup(t: SnmpTarget, action: string) {
    this.requests.push(`${t.address}:${t.port} ${action}`);
    const a = this.agents.get(`${t.address}:${t.port}`);
    if (a?.delayMs) await new Promise((r) => setTimeout(r, a.delayMs));
    if (!a || a.fail) {
      const kind = a?.fail ?? 'timeout';
      throw new NetpulseError({ scope: 'snmp', target: `agent ${t.address}:${t.port}`, action, reason: kind === 'auth' ? 'wrong digest' : `${kind} after ${t.retries} retries`, kind });
    }
    return a.mib;
  }

  async get(t: SnmpTarget, oids: string[]): Promise<Varbind[]> {
    const mib = await this.lookup(t, `get ${oids.length}`);
    return oids.map((o) => mib.get(o) ?? vb(o, 'NoSuchObject', null));
  }

  async walk(t: SnmpTarget, root: string): Promise<Varbind[]> {
    const mib = await this.lookup(t, `walk ${root}`);
    return [...mib.values()].filter((v) => v.oid.startsWith(root + '.')).sort((a, b) => compareOids(a.oid, b.oid));
  }

  async table(t: SnmpTarget, cols: string[]): Promise<TableRow[]> {
    const mib = await this.lookup(t, `table ${cols[0]}`);
    const rows = new Map<string, TableRow>();
    for (const c of cols) {
      for (const v of mib.values()) {
        if (!v.oid.startsWith(c + '.')) continue;
        const index = v.oid.slice(c.length + 1);
        let r = rows.get(index);
        if (!r) rows.set(index, (r = { index, values: new Map() }));
        r.values.set(c, v);
      }
    }
    return [...rows.values()].sort((a, b) => compareOids(a.index, b.index));
  }

  async close(): Promise<void> {}
}

export class FakeIcmp implements IcmpChecker {
  readonly engine = 'fping' as const;
  up = new Set<string>();
  calls: string[][] = [];
  async check(hosts: string[]): Promise<Map<string, IcmpResult>> {
    this.calls.push(hosts);
    return new Map(hosts.map((h) => [h, summarize(h, h, this.up.has(h) ? [1, 2, 3] : [null, null, null])]));
  }
}

export function device(name: string, over: Partial<ResolvedDevice> = {}): ResolvedDevice {
  return {
    name, address: '127.0.0.1', port: 161, credentials: 'c', profiles: ['system'], intervalMs: 60_000,
    profileIntervalsMs: {}, tags: {}, icmp: true, credential: { version: '2c', community: 'public' }, ...over,
  };
}

export function systemMib(uptime = 1000, name = 'sw1'): Varbind[] {
  return [
    str('1.3.6.1.2.1.1.1.0', 'Linux sw1'), vb('1.3.6.1.2.1.1.2.0', 'OID', '1.3.6.1.4.1.8072.3.2.10'),
    vb('1.3.6.1.2.1.1.3.0', 'TimeTicks', uptime), str('1.3.6.1.2.1.1.4.0', 'noc@example.net'),
    str('1.3.6.1.2.1.1.5.0', name), str('1.3.6.1.2.1.1.6.0', 'rack 1'),
  ];
}
