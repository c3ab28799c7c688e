import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODELS, startLab, type Lab, type LabDevice } from '../../src/lab/index.ts';
import { OUT_OPTS, parseWalk, render, served, target, tool, versionArgs } from './helpers.ts';

const MONOTONIC = new Set(['Counter32', 'Counter64', 'TimeTicks']);

let lab: Lab;
beforeAll(async () => {
  lab = await startLab({ devices: 40, topology: 'ring', seed: 7, basePort: 0 });
});
afterAll(async () => {
  await lab?.stop();
});

function modelDevice(modelId: string): LabDevice {
  const d = lab.devices.find((x) => x.model.id === modelId && x.peers.size > 0);
  if (!d) throw new Error(`no ${modelId} in the lab`);
  return d;
}

const CASES = MODELS.flatMap((m) => (['2c', '1', '3'] as const).map((v) => [m.id, v] as const));

describe('Net-SNMP walks every model in every version', () => {
  it.each(CASES)('%s over v%s', async (modelId, version) => {
    const d = modelDevice(modelId);
    d.version = version;
    const t0 = Date.now();
    const before = served(lab, d, t0);
    const cmd = version === '2c' ? 'snmpbulkwalk' : 'snmpwalk';
    const extra = version === '2c' ? ['-Cr50'] : [];
    const r = await tool(cmd, [...versionArgs(d), ...OUT_OPTS, ...extra, target(d), '.']);
    const t1 = Date.now();
    const after = served(lab, d, t1);
    // a gauge can move and come back within a slow walk (44, 43, 44): the value the lab served at some moment of it
    const servedDuring = (oid: string, value: string) => {
      for (let t = t0; t <= t1; t += 10) if (render(served(lab, d, t).get(oid)!).value === value) return true;
      return false;
    };
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const walked = parseWalk(r.stdout);
    expect([...walked.keys()]).toEqual([...before.keys()]);
    const problems: string[] = [];
    for (const [oid, w] of walked) {
      const a = render(before.get(oid)!);
      const b = render(after.get(oid)!);
      if (w.type !== a.type) problems.push(`${oid}: type ${w.type}, lab meant ${a.type}`);
      else if ((a.value === b.value ? w.value !== a.value : MONOTONIC.has(a.type) && !(Number(w.value) >= Number(a.value) && Number(w.value) <= Number(b.value)) && a.type !== 'Counter32') && !servedDuring(oid, w.value)) {
        problems.push(`${oid}: ${w.value}, lab meant ${a.value}..${b.value}`);
      }
    }
    expect(problems.slice(0, 10)).toEqual([]);
  });
});
