/**
 * The topology service against the lab: the graph persisted through the storage engineer's
 * StateStore (real SQLite file) and loaded by a new service, a silent device, joined runs.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.ts';
import { startLab, type Lab } from '../../src/lab/index.ts';
import { createSnmpClient } from '../../src/snmp/index.ts';
import { StateStore } from '../../src/storage/index.ts';
import { createTopologyService, type TopologyServiceOptions } from '../../src/topology/service.ts';
import { memoryTopologyStore, stateTopologyStore, type TopologyStateLike, type TopologyStore } from '../../src/topology/store.ts';
import type { LinkEvent } from '../../src/topology/diff.ts';
import { topologyPort } from '../../src/topology/api-view.ts';
import { topologyServiceFromConfig } from '../../src/topology/from-config.ts';
import type { AutodiscoverResult } from '../../src/topology/service.ts';

const client = createSnmpClient({ maxConcurrency: 32 });
let lab: Lab;
let dir: string;
let options: Omit<TopologyServiceOptions, 'store'>;

beforeAll(async () => {
  lab = await startLab({ devices: 6, topology: 'ring', seed: 11, basePort: 0 });
  dir = await mkdtemp(join(tmpdir(), 'netpulse-topo-'));
  const config = parseConfig(lab.config);
  options = {
    client,
    devices: () => config.devices,
    target: (d) => ({ address: d.address, port: d.port, credential: d.credential, timeoutMs: 1000, retries: 1, maxRepetitions: 25 }),
  };
});

afterAll(async () => {
  await client.close();
  await lab?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('topology service', () => {
  it('persists the graph in the StateStore and a new service starts from it (first-seen kept)', async () => {
    // the adapter fits the real repository
    const file = join(dir, 'state.db');
    const state1 = new StateStore(file);
    const fits: TopologyStateLike = state1;
    const s1 = createTopologyService({ ...options, store: stateTopologyStore(fits), now: () => 1_000 });
    const g1 = await s1.discover();
    expect(g1.anomalies).toEqual([]);
    expect(g1.links).toHaveLength(lab.truth.links.length);
    state1.close();

    const state2 = new StateStore(file);
    const s2 = createTopologyService({ ...options, store: stateTopologyStore(state2), now: () => 2_000 });
    await s2.ready();
    const loaded = s2.graph()!;
    expect(loaded.links.map((l) => l.id)).toEqual(g1.links.map((l) => l.id));
    expect(loaded.links.map((l) => [l.a, l.b, l.sources, l.reportedBy])).toEqual(g1.links.map((l) => [l.a, l.b, l.sources, l.reportedBy]));
    expect(loaded.nodes.map((n) => n.id)).toEqual(g1.nodes.map((n) => n.id));
    const events: LinkEvent[] = [];
    s2.on('link', (e) => events.push(e));
    const g2 = await s2.discover();
    expect(events).toEqual([]);
    expect(g2.links.every((l) => l.firstSeen === 1_000 && l.lastSeen === 2_000)).toBe(true);
    expect(state2.topology.links().every((l) => l.firstSeen === 1_000 && l.lastSeen === 2_000)).toBe(true);
    state2.close();
  });

  it('a silent device is an error naming it; its links are unknown, not down', async () => {
    const store = memoryTopologyStore();
    const s = createTopologyService({ ...options, store });
    const events: LinkEvent[] = [];
    s.on('link', (e) => events.push(e));
    const g1 = await s.discover();
    const victim = lab.devices[2].name;
    lab.faults.silence(victim);
    try {
      const g2 = await s.discover();
      expect(s.lastRun()!.errors.some((e) => e.startsWith(`${victim}: snmp: agent`))).toBe(true);
      expect(g2.links.map((l) => l.id)).toEqual(g1.links.map((l) => l.id));
    } finally {
      lab.faults.silence(victim, false);
    }
    await s.discover();
    expect(events).toEqual([]);
    expect(store.saved).toBe(3);
  });

  it('concurrent discover() calls join one run; neighbours view; a failing store is an error of the run', async () => {
    const broken: TopologyStore = { load: () => { throw new Error('disk on fire'); }, save: () => { throw new Error('read-only file system'); } };
    const s = createTopologyService({ ...options, store: broken });
    const [a, b] = [s.discover(), s.discover()];
    expect(s.running()).toBe(true);
    expect(await a).toBe(await b);
    expect(s.running()).toBe(false);
    expect(s.lastRun()!.errors).toEqual(['topology store: load: disk on fire', 'topology store: save: read-only file system']);
    const d = lab.devices[0];
    const nb = s.neighbors(d.name)!;
    expect(nb.map((n) => n.node).sort()).toEqual([...d.peers.values()].map((p) => lab.devices[p.device].name).sort());
    expect(nb.every((n) => n.managed && n.localPort && n.remotePort && n.sources.includes('lldp'))).toBe(true);
    expect(s.neighbors('no-such-device')).toBeUndefined();
  });

  it('the API view: graph and neighbours in the API shapes, 409-style conflict while a run is going', async () => {
    const s = createTopologyService(options);
    const port = topologyPort(s, { state: (d) => (d === lab.devices[0].name ? 'up' : undefined) });
    expect(await port.graph()).toEqual({ nodes: [], links: [] });
    const running = s.discover();
    await expect(port.discover()).rejects.toMatchObject({ kind: 'conflict' });
    await running;
    const r = await port.discover();
    expect(r).toMatchObject({ nodes: lab.devices.length, links: lab.truth.links.length, errors: [] });
    const g = await port.graph();
    expect(g.nodes.find((n) => n.id === lab.devices[0].name)?.state).toBe('up');
    expect(g.links.every((l) => l.protocol.split(',').includes('lldp') && l.sourcePort && l.targetPort)).toBe(true);
    const nb = (await port.neighbors(lab.devices[0].name))!;
    expect(nb.length).toBe(lab.devices[0].peers.size);
    expect(nb[0]).toMatchObject({ remoteId: expect.any(String), remoteName: expect.any(String), localPort: expect.any(String), remotePort: expect.any(String) });
  });

  it('wired from the config: the schedule runs discovery and the sweep (found event); sweeps skip managed addresses', async () => {
    const config = parseConfig(`${lab.config}\ntopology:\n  schedule: "* * * * * *"\n  subnets: [127.0.0.1/32]\n  sweep: { icmp: false }\n  probe: { port: ${lab.devices[0].port}, timeout: 300ms }\n`);
    const s = topologyServiceFromConfig(config, { client });
    try {
      const found = await new Promise<AutodiscoverResult>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('no scheduled run within 30 s')), 30_000);
        s.on('found', (r) => { clearTimeout(t); resolve(r); });
      });
      expect(found.sweep?.swept).toBe(1);
      expect(s.lastRun()?.devices).toBe(lab.devices.length);
      const r = await s.autodiscover();
      expect(r.crawl).toBeUndefined();
      expect(r.sweep).toMatchObject({ swept: 1, alive: 1, found: [], failed: [] });
      expect((await s.discover()).links).toHaveLength(lab.truth.links.length);
    } finally {
      s.stop();
    }
  });
});
