/**
 * Building the graph stays linear in the unmanaged neighbours: counted in name
 * normalisations, not timed (an earlier version scanned every node per neighbour).
 */
import { describe, expect, it, vi } from 'vitest';
import { sw } from './fixtures.ts';

const calls = vi.hoisted(() => ({ shortName: 0 }));
vi.mock('../../src/topology/normalize.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/topology/normalize.ts')>();
  return { ...real, shortName: (name: string) => { calls.shortName++; return real.shortName(name); } };
});
const { buildGraph } = await import('../../src/topology/graph.ts');

describe('buildGraph scale', () => {
  it.each([500, 2000])('%i unmanaged LLDP neighbours cost a bounded number of name look-ups each', (n) => {
    const a = sw(1, 48);
    for (let i = 0; i < n; i++) {
      const hex = (i & 0xffff).toString(16).padStart(4, '0');
      a.lldp.push({ localPortNum: 1 + (i % 48), localIfIndex: 1 + (i % 48), localPort: `Gi0/${1 + (i % 48)}`, chassisIdSubtype: 4, chassisId: `0a:00:00:00:${hex.slice(0, 2)}:${hex.slice(2)}`, portIdSubtype: 5, portId: 'eth0', sysName: `vm${i}.example`, managementAddresses: [] });
      a.cdp.push({ localIfIndex: 1 + (i % 48), deviceId: `phone${i}`, port: 'Port 1' });
    }
    calls.shortName = 0;
    const g = buildGraph([a], 1);
    expect(g.nodes).toHaveLength(2 * n + 1);
    expect(calls.shortName).toBeLessThan(20 * n);
  });
});
