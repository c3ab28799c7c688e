/**
 * The lab's tables hang together the way a real network's do: IP-MIB pointers resolve,
 * forwarding tables hold every MAC of the L2 domain behind exactly one loop-free port, and a
 * flapped-down link loses its LLDP/CDP neighbours on both ends until it comes back.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { startLab, type Lab, type LabDevice, type Topology } from '../../src/lab/index.ts';
import { portMac } from '../../src/lab/network.ts';
import { parseWalk, served, target, tool } from './helpers.ts';

const labs: Lab[] = [];
afterAll(async () => {
  await Promise.all(labs.map((l) => l.stop()));
});

async function lab(topology: Topology, devices: number, seed = 4): Promise<Lab> {
  const l = await startLab({ devices, topology, seed, basePort: 0 });
  labs.push(l);
  return l;
}

const hex = (m: number[]) => m.map((b) => b.toString(16).padStart(2, '0')).join(':');

/** the forwarding table `d` serves: MAC → bridge port; and dot1q must say the same */
function fdbOf(l: Lab, d: LabDevice): Map<string, number> {
  const s = served(l, d, Date.now());
  const out = new Map<string, number>();
  const q = new Map<string, number>();
  for (const [oid, vb] of s) {
    let m = /^1\.3\.6\.1\.2\.1\.17\.4\.3\.1\.2\.((?:\d+\.){5}\d+)$/.exec(oid);
    if (m) out.set(hex(m[1].split('.').map(Number)), vb.value as number);
    m = /^1\.3\.6\.1\.2\.1\.17\.7\.1\.2\.2\.1\.2\.1\.((?:\d+\.){5}\d+)$/.exec(oid);
    if (m) q.set(hex(m[1].split('.').map(Number)), vb.value as number);
  }
  expect([...q]).toEqual([...out]);
  return out;
}

/** who a MAC belongs to: a device's chassis or port MAC, or a host behind a bridge port */
function owners(l: Lab): Map<string, { device: LabDevice; hostPort?: number }> {
  const m = new Map<string, { device: LabDevice; hostPort?: number }>();
  for (const d of l.devices) {
    m.set(hex(d.chassisMac), { device: d });
    for (let i = 1; i <= d.model.ports.length; i++) m.set(hex(portMac(d, i)), { device: d });
    for (const [ifIndex, h] of d.hosts) m.set(hex(h.mac), { device: d, hostPort: ifIndex });
  }
  return m;
}

/** bridges reachable from `d` over bridge-to-bridge links (routers and servers end an L2 domain) */
function l2Domain(l: Lab, d: LabDevice): LabDevice[] {
  const seen = new Set([d.index]);
  const todo = [d];
  while (todo.length > 0) {
    for (const p of todo.pop()!.peers.values()) {
      const r = l.devices[p.device];
      if (r.model.bridge && !seen.has(r.index)) {
        seen.add(r.index);
        todo.push(r);
      }
    }
  }
  return [...seen].map((i) => l.devices[i]);
}

describe('IP-MIB is self-consistent', () => {
  it.each(['ring', 'mesh'] as const)('%s: every ipAddressPrefix points at a served ipAddressPrefixTable row', async (topology) => {
    const l = await lab(topology, 12);
    let pointers = 0;
    for (const d of l.devices) {
      const s = served(l, d, Date.now());
      for (const [oid, vb] of s) {
        if (!oid.startsWith('1.3.6.1.2.1.4.34.1.5.')) continue;
        expect(s.has(String(vb.value)), `${d.name} ${oid} -> ${vb.value}`).toBe(true);
        pointers++;
      }
    }
    expect(pointers).toBeGreaterThan(l.devices.length);
  });

  it('Net-SNMP walks IP-MIB in order and finds the prefix rows', async () => {
    const l = await lab('ring', 6);
    const d = l.devices.find((x) => x.version === '2c' && x.peers.size > 0)!;
    const r = await tool('snmpbulkwalk', ['-v2c', '-c', d.community, '-On', '-Ox', '-Cr25', '-t', '3', '-r', '1', target(d), '1.3.6.1.2.1.4']);
    expect(r.stderr).toBe('');
    const w = parseWalk(r.stdout);
    const pointers = [...w].filter(([oid]) => oid.startsWith('1.3.6.1.2.1.4.34.1.5.'));
    expect(pointers.length).toBe(d.peers.size + 1);
    for (const [, v] of pointers) expect(w.get(v.value.slice(1))?.value).toBe('2'); // ipAddressPrefixOrigin manual
  });
});

describe('forwarding tables', () => {
  it.each([
    ['ring', 30],
    ['tree', 30],
    ['mesh', 30],
  ] as const)('%s of %i: every MAC of the L2 domain behind exactly one port, on a loop-free path, never its own', async (topology, n) => {
    const l = await lab(topology, n);
    const own = owners(l);
    const tables = new Map(l.devices.filter((d) => d.model.bridge).map((d) => [d.index, fdbOf(l, d)]));
    const forwarding = new Set<string>();
    for (const d of l.devices) {
      const fdb = tables.get(d.index);
      if (!fdb) continue;
      // never its own MACs
      for (const mac of fdb.keys()) {
        const o = own.get(mac);
        expect(o?.device === d && o.hostPort === undefined, `${d.name} learned its own ${mac}`).toBe(false);
      }
      // complete: every bridge of the domain, its hosts, the routers/servers attached to it, and the
      // port MAC of each neighbour bridge on a forwarding link (the port its chassis MAC is learned on)
      const expected = new Set<string>();
      for (const b of l2Domain(l, d)) {
        if (b !== d) expected.add(hex(b.chassisMac));
        for (const h of b.hosts.values()) expected.add(hex(h.mac));
        for (const [, p] of b.peers) {
          const r = l.devices[p.device];
          if (!r.model.bridge) expected.add(hex(portMac(r, p.ifIndex)));
        }
      }
      for (const [ifIndex, p] of d.peers) {
        const r = l.devices[p.device];
        if (!r.model.bridge || fdb.get(hex(r.chassisMac)) !== ifIndex) continue;
        expected.add(hex(portMac(r, p.ifIndex)));
        forwarding.add([d.index, r.index].sort().join('-'));
      }
      expect(new Set(fdb.keys())).toEqual(expected);
      // follow each MAC hop by hop: it must reach its owner without a loop
      for (const [mac, port] of fdb) {
        let cur = d;
        let via = port;
        for (let hops = 0; ; hops++) {
          expect(hops, `${d.name}: ${mac} loops`).toBeLessThan(l.devices.length);
          const o = own.get(mac)!;
          if (o.hostPort !== undefined && o.device === cur) {
            expect(via).toBe(o.hostPort);
            break;
          }
          const p = cur.peers.get(via);
          expect(p, `${cur.name} sends ${mac} out of unlinked port ${via}`).toBeDefined();
          const next = l.devices[p!.device];
          if (o.device === next) break;
          expect(next.model.bridge, `${mac} forwarded into non-bridge ${next.name}`).toBe(true);
          via = tables.get(next.index)!.get(mac)!;
          expect(via, `${next.name} does not know ${mac}`).toBeDefined();
          expect(via, `${next.name} sends ${mac} back where it came from`).not.toBe(p!.ifIndex);
          cur = next;
        }
      }
    }
    // the forwarding bridge links form a spanning tree of each L2 domain: a ring or tree (no L2
    // loops: routers end the domains) forwards on all of them, a mesh blocks some
    const domains = new Map<string, number>();
    for (const d of l.devices.filter((x) => x.model.bridge)) domains.set(l2Domain(l, d).map((x) => x.index).sort().join(','), l2Domain(l, d).length);
    expect(forwarding.size).toBe([...domains.values()].reduce((a, n) => a + n - 1, 0));
    const bridgeLinks = l.truth.links.filter((t) => l.device(t.a).model.bridge && l.device(t.b).model.bridge).length;
    if (topology === 'mesh') expect(forwarding.size).toBeLessThan(bridgeLinks);
    else expect(forwarding.size).toBe(bridgeLinks);
  });
});

describe('LLDP and CDP on a flapped port', () => {
  it('rows of the link vanish on both ends while it is down and come back when it is up', async () => {
    const l = await lab('ring', 12, 9);
    const d = l.devices.find((x) => x.model.cdp && x.version === '2c' && [...x.peers.values()].some((p) => l.devices[p.device].model.cdp))!;
    const [ifIndex, p] = [...d.peers].find(([, q]) => l.devices[q.device].model.cdp)!;
    const r = l.devices[p.device];
    const rows = (x: LabDevice, port: number) => {
      const s = served(l, x, Date.now());
      const keys = [...s.keys()];
      return {
        lldp: keys.filter((k) => new RegExp(`^1\\.0\\.8802\\.1\\.1\\.2\\.1\\.4\\.[12]\\.1\\.\\d+\\.0\\.${port}\\.`).test(k)).length,
        cdp: keys.filter((k) => new RegExp(`^1\\.3\\.6\\.1\\.4\\.1\\.9\\.9\\.23\\.1\\.2\\.1\\.1\\.\\d+\\.${port}\\.`).test(k)).length,
        all: keys.filter((k) => k.startsWith('1.0.8802.1.1.2.1.4.1.1.9.')).length,
      };
    };
    const before = [rows(d, ifIndex), rows(r, p.ifIndex)];
    for (const b of before) {
      expect(b.lldp).toBeGreaterThan(0);
      expect(b.cdp).toBeGreaterThan(0);
    }
    // down long enough that the snmpbulkwalk below, spawned on a loaded machine, still sees it down
    l.faults.flap(d.name, ifIndex, 5000);
    const down = [rows(d, ifIndex), rows(r, p.ifIndex)];
    expect(down.map((x) => [x.lldp, x.cdp])).toEqual([[0, 0], [0, 0]]);
    expect(down.map((x) => x.all)).toEqual(before.map((x) => x.all - 1)); // the other neighbours stay
    // through Net-SNMP too
    const walk = await tool('snmpbulkwalk', ['-v2c', '-c', d.community, '-On', '-t', '3', '-r', '1', target(d), `1.0.8802.1.1.2.1.4.1.1.9.0.${ifIndex}`]);
    expect(walk.stdout).not.toMatch(new RegExp(`\\.4\\.1\\.1\\.9\\.0\\.${ifIndex}\\.`));
    await vi.waitFor(() => expect([rows(d, ifIndex), rows(r, p.ifIndex)]).toEqual(before), { timeout: 20_000, interval: 100 });
  });
});
