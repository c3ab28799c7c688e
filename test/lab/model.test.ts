import { describe, expect, it } from 'vitest';
import { buildNetwork, type Topology } from '../../src/lab/network.ts';
import { portCounters, wrap32 } from '../../src/lab/traffic.ts';
import { Responder } from '../../src/lab/responder.ts';
import { compareOids } from '../../src/snmp/wire/index.ts';

const net = (topology: Topology, devices = 40) =>
  buildNetwork({ devices, topology, seed: 3, address: '127.0.0.1', basePort: 0, addressPerDevice: false, startMs: 1_700_000_000_000 });

describe('traffic model', () => {
  const devices = net('ring');
  const links = devices.flatMap((d) => [...d.peers].filter(([, p]) => p.isA).map(([ifIndex, p]) => ({ d, ifIndex, p })));

  it.each(links.slice(0, 12).map((l) => [`${l.d.name}:${l.ifIndex}`, l] as const))('%s: A out == B in over a minute', (_n, { d, ifIndex, p }) => {
    const b = devices[p.device];
    const t0 = 1_700_000_100_000;
    const t1 = t0 + 60_000;
    const aOut = portCounters(d, ifIndex, true, t1, 3).octets - portCounters(d, ifIndex, true, t0, 3).octets;
    const bIn = portCounters(b, p.ifIndex, false, t1, 3).octets - portCounters(b, p.ifIndex, false, t0, 3).octets;
    expect(Math.abs(aOut - bIn)).toBeLessThanOrEqual(2);
    expect(aOut).toBeGreaterThan(0);
  });

  it('64-bit counters never decrease; Counter32 is their low 32 bits', () => {
    const { d, ifIndex } = links[0];
    let prev = -1;
    for (let t = 0; t < 2000; t++) {
      const now = 1_700_000_000_000 + t * 997;
      const c = portCounters(d, ifIndex, false, now, 3);
      expect(c.octets).toBeGreaterThanOrEqual(prev);
      expect(wrap32(c.octets)).toBe(c.octets % 2 ** 32);
      prev = c.octets;
    }
    expect(prev).toBeGreaterThan(2 ** 32); // a busy port has wrapped its Counter32 during the uptime
  });

  it('down ports have zero traffic', () => {
    const d = devices.find((x) => x.model.ports.length > x.peers.size + x.hosts.size)!;
    const idle = d.model.ports.findIndex((_p, k) => !d.peers.has(k + 1) && !d.hosts.has(k + 1)) + 1;
    expect(portCounters(d, idle, true, Date.now(), 3).octets).toBe(0);
  });
});

describe('index shapes', () => {
  it.each(['ring', 'tree', 'mesh'] as const)('%s: every device walks in strictly increasing order to the end', (topology) => {
    const devices = net(topology, 30);
    const r = new Responder(devices);
    for (const d of devices) {
      let arcs = [0, 0];
      let n = 0;
      let bad = 0;
      for (let e = r.next(d, arcs); e; e = r.next(d, arcs)) {
        if (compareOids(e.arcs, arcs) <= 0) bad++;
        arcs = e.arcs;
        n++;
      }
      expect(bad).toBe(0);
      expect(n).toBeGreaterThan(200);
    }
  });
});
