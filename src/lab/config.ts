/** The netpulse YAML config (src/config format) for a running lab, and the per-version truth. */
import { stringify } from 'yaml';
import type { SnmpVersion } from '../model/credentials.ts';
import { LAB_V3_USERS, type LabDevice } from './network.ts';

export interface LabTruth {
  byVersion: Record<SnmpVersion, number>;
  byKind: Record<string, number>;
  byModel: Record<string, number>;
  links: { a: string; aPort: string; b: string; bPort: string }[];
}

export function labTruth(devices: LabDevice[]): LabTruth {
  const t: LabTruth = { byVersion: { '1': 0, '2c': 0, '3': 0 }, byKind: {}, byModel: {}, links: [] };
  for (const d of devices) {
    t.byVersion[d.version]++;
    t.byKind[d.model.kind] = (t.byKind[d.model.kind] ?? 0) + 1;
    t.byModel[d.model.id] = (t.byModel[d.model.id] ?? 0) + 1;
    for (const [ifIndex, p] of d.peers) {
      if (!p.isA) continue;
      const r = devices[p.device];
      t.links.push({ a: d.name, aPort: d.model.ports[ifIndex - 1].name, b: r.name, bPort: r.model.ports[p.ifIndex - 1].name });
    }
  }
  return t;
}

export function credentialName(d: LabDevice): string {
  return d.version === '1' ? 'lab-v1' : d.version === '2c' ? 'lab-v2c' : `lab-v3-${d.v3User}`;
}

export function labConfigYaml(devices: LabDevice[], opts: { interval?: string } = {}): string {
  const credentials: Record<string, unknown> = {
    'lab-v1': { version: '1', community: devices[0]?.community ?? 'np-lab-ro' },
    'lab-v2c': { version: '2c', community: devices[0]?.community ?? 'np-lab-ro' },
  };
  for (const u of LAB_V3_USERS) {
    if (!devices.some((d) => d.v3User === u.user)) continue;
    const c: Record<string, unknown> = { version: '3', user: u.user, level: u.level, authProtocol: u.authProtocol, authKey: u.authKey };
    if (u.privProtocol) Object.assign(c, { privProtocol: u.privProtocol, privKey: u.privKey });
    credentials[`lab-v3-${u.user}`] = c;
  }
  const doc = {
    credentials,
    devices: devices.map((d) => ({
      name: d.name,
      address: d.address,
      port: d.port,
      credentials: credentialName(d),
      ...(opts.interval ? { interval: opts.interval } : {}),
      tags: { site: 'lab', role: d.model.kind, model: d.model.id },
    })),
  };
  const head = `# netpulse config for a running "netpulse lab" (${devices.length} simulated devices).\n# Lab credentials are not secrets; they only open the simulated agents.\n`;
  return head + stringify(doc, { lineWidth: 0 });
}
