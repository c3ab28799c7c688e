import { afterAll, describe, expect, it } from 'vitest';
import { startLab, type Lab, type LabDevice } from '../../src/lab/index.ts';
import { parseWalk, served, target, tool } from './helpers.ts';

const labs: Lab[] = [];
afterAll(async () => {
  await Promise.all(labs.map((l) => l.stop()));
});

interface Neighbour { localPort: number; chassis: string; sysName: string; portId: string }

const servedCache = new Map<LabDevice, ReturnType<typeof served>>();
function servedOnce(lab: Lab, d: LabDevice): ReturnType<typeof served> {
  let s = servedCache.get(d);
  if (!s) servedCache.set(d, (s = served(lab, d, Date.now())));
  return s;
}

/** lldpRemTable rows as the lab serves them (via the responder's GETNEXT path) */
function lldpNeighbours(lab: Lab, d: LabDevice): Neighbour[] {
  const rows = new Map<string, Partial<Neighbour>>();
  for (const [oid, vb] of servedOnce(lab, d)) {
    const m = /^1\.0\.8802\.1\.1\.2\.1\.4\.1\.1\.(\d+)\.0\.(\d+)\.(\d+)$/.exec(oid);
    if (!m) continue;
    const key = `${m[2]}.${m[3]}`;
    const r = rows.get(key) ?? { localPort: Number(m[2]) };
    const buf = vb.value as Buffer;
    if (m[1] === '5') r.chassis = buf.toString('hex');
    if (m[1] === '9') r.sysName = buf.toString();
    if (m[1] === '7') r.portId = buf.toString('hex');
    rows.set(key, r);
  }
  return [...rows.values()] as Neighbour[];
}

function localPortId(lab: Lab, d: LabDevice, ifIndex: number): string {
  const vb = servedOnce(lab, d).get(`1.0.8802.1.1.2.1.3.7.1.3.${ifIndex}`);
  return (vb!.value as Buffer).toString('hex');
}

describe.each(['ring', 'tree', 'mesh'] as const)('%s topology', (topology) => {
  it('LLDP neighbours are symmetric and name the right port', async () => {
    const lab = await startLab({ devices: 25, topology, seed: 11, basePort: 0 });
    labs.push(lab);
    const byName = new Map(lab.devices.map((d) => [d.name, d]));
    let links = 0;
    for (const d of lab.devices) {
      for (const n of lldpNeighbours(lab, d)) {
        const r = byName.get(n.sysName)!;
        expect(r, `${d.name} sees unknown ${n.sysName}`).toBeDefined();
        expect(n.chassis).toBe(Buffer.from(r.chassisMac).toString('hex'));
        const back = lldpNeighbours(lab, r).filter((x) => x.sysName === d.name);
        expect(back, `${r.name} does not list ${d.name} back`).toHaveLength(1);
        // B names A's port by A's own lldpLocPortId, and vice versa
        expect(back[0].portId).toBe(localPortId(lab, d, n.localPort));
        expect(n.portId).toBe(localPortId(lab, r, back[0].localPort));
        links++;
      }
    }
    expect(links / 2).toBe(lab.truth.links.length);
    if (topology === 'ring') expect(lab.truth.links.length).toBeGreaterThanOrEqual(lab.devices.length - 1);
    if (topology === 'tree') expect(lab.truth.links.length).toBe(lab.devices.length - 1);
  });
});

describe('neighbour tables agree with each other (via Net-SNMP)', () => {
  it('CDP, FDB, ARP and OSPF are symmetric for the v2c devices of a ring', async () => {
    const lab = await startLab({ devices: 22, topology: 'ring', seed: 5, basePort: 0 });
    labs.push(lab);
    const walks = new Map<string, Map<string, { type: string; value: string }>>();
    const subtrees = ['1.3.6.1.4.1.9.9.23.1.2', '1.3.6.1.2.1.17.4.3', '1.3.6.1.2.1.4.22', '1.3.6.1.2.1.14.10'];
    const walkOne = async (d: (typeof lab.devices)[number]) => {
      d.version = '2c';
      const all = new Map<string, { type: string; value: string }>();
      for (const root of subtrees) {
        const r = await tool('snmpbulkwalk', ['-v2c', '-c', d.community, '-On', '-Ox', '-Cr50', '-t', '3', '-r', '1', target(d), root]);
        expect(r.stderr).toBe('');
        for (const [k, v] of parseWalk(r.stdout)) all.set(k, v);
      }
      walks.set(d.name, all);
    };
    for (let i = 0; i < lab.devices.length; i += 6) await Promise.all(lab.devices.slice(i, i + 6).map(walkOne));
    const hex = (b: number[]) => b.map((x) => x.toString(16).toUpperCase().padStart(2, '0')).join(' ');
    for (const d of lab.devices) {
      const w = walks.get(d.name)!;
      for (const [ifIndex, p] of d.peers) {
        const r = lab.devices[p.device];
        const rw = walks.get(r.name)!;
        if (d.model.cdp && r.model.cdp) {
          expect(w.get(`1.3.6.1.4.1.9.9.23.1.2.1.1.6.${ifIndex}.${r.index + 1}`)?.value).toBe(hex([...Buffer.from(`${r.name}.lab.example.net`)]));
          expect(rw.has(`1.3.6.1.4.1.9.9.23.1.2.1.1.6.${p.ifIndex}.${d.index + 1}`)).toBe(true);
        }
        if (d.model.bridge) {
          const peerMac = [...r.chassisMac];
          peerMac[5] |= p.ifIndex;
          expect(w.get(`1.3.6.1.2.1.17.4.3.1.2.${peerMac.join('.')}`)?.value).toBe(String(ifIndex));
        }
        // ARP: the peer's link address resolves to the peer's port MAC, on our port
        const arp = w.get(`1.3.6.1.2.1.4.22.1.2.${ifIndex}.${p.peerIp}`);
        const mac = [...r.chassisMac];
        mac[5] |= p.ifIndex;
        expect(arp?.value).toBe(hex(mac));
        if (d.model.ospf && r.model.ospf) {
          expect(w.get(`1.3.6.1.2.1.14.10.1.3.${p.peerIp}.0`)?.value).toBe(r.mgmtIp);
          expect(rw.get(`1.3.6.1.2.1.14.10.1.3.${p.localIp}.0`)?.value).toBe(d.mgmtIp);
        }
      }
    }
  });
});
