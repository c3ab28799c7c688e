import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import { configProblems } from './config-problems.ts';

const BASE = `credentials:
  v2: { version: 2c, community: pub2 }
devices:
  - { name: core1, address: 127.0.0.1, port: 16101, credentials: v2 }
  - { name: dist1, address: 127.0.0.1, port: 16102, credentials: v2, parents: [core1] }
  - { name: acc1, address: 127.0.0.1, port: 16103, credentials: v2, parents: [dist1], tags: { site: lab } }
`;

const problems = (yaml: string): string[] => configProblems(yaml);

describe('config: maintenance windows and parents', () => {
  it('takes maintenance windows and parents', () => {
    const c = parseConfig(`${BASE}maintenance:
  - { name: patch, devices: ["dist*"], schedule: "0 2 * * 0", duration: 2h, timezone: Europe/Berlin, comment: weekly }
  - { name: rewire, tags: { site: lab }, start: "2026-12-06T22:00:00Z", end: "2026-12-07T02:00:00Z" }
`, 'm.yaml', {});
    expect(Object.fromEntries(c.devices.map((d) => [d.name, d.parents]))).toEqual({ core1: undefined, dist1: ['core1'], acc1: ['dist1'] });
    expect(c.devices[0]).not.toHaveProperty('parents');
    expect(c.maintenance).toEqual([
      { name: 'patch', devices: ['dist*'], tags: {}, schedule: '0 2 * * 0', duration: 7_200_000, timezone: 'Europe/Berlin', comment: 'weekly' },
      { name: 'rewire', devices: [], tags: { site: 'lab' }, start: Date.parse('2026-12-06T22:00:00Z'), end: Date.parse('2026-12-07T02:00:00Z') },
    ]);
    expect(parseConfig(BASE, '', {}).maintenance).toEqual([]);
  });

  it.each([
    [`maintenance:\n  - { name: a, devices: [x], start: "2026-12-07T02:00:00Z", end: "2026-12-06T02:00:00Z" }\n`, 'maintenance[0].end: must be after start'],
    [`maintenance:\n  - { name: a, devices: [x], schedule: "0 2 * * 0" }\n`, 'maintenance[0].duration: a recurring window needs duration'],
    [`maintenance:\n  - { name: a, devices: [x], schedule: "0 2 * * 0", duration: 1h, timezone: Nowhere }\n`, 'maintenance[0].timezone: unknown time zone "Nowhere"'],
    [`maintenance:\n  - { name: a, devices: [x], schedule: "0 2 * * 0", duration: 1h }\n  - { name: a, devices: [y], schedule: "0 3 * * 0", duration: 1h }\n`, 'maintenance[1].name: duplicate window name "a" (also maintenance[0])'],
    [`maintenance:\n  - { name: a, start: "2026-12-06T22:00:00Z", end: "2026-12-07T02:00:00Z" }\n`, 'maintenance[0].devices: a window must cover something'],
    [`maintenance: { name: a }\n`, 'maintenance: '],
  ])('%s → %s', (yaml, message) => {
    expect(problems(BASE + yaml).join('\n')).toContain(message);
  });

  it('refuses unknown parents, self-parents and cycles, naming the path', () => {
    const cyc = BASE.replace('{ name: core1, address: 127.0.0.1, port: 16101, credentials: v2 }', '{ name: core1, address: 127.0.0.1, port: 16101, credentials: v2, parents: [acc1] }');
    expect(problems(cyc)).toEqual(['devices[0].parents: parent cycle core1 -> acc1 -> dist1 -> core1']);
    const bad = BASE.replace('parents: [core1]', 'parents: [core9, dist1]');
    expect(problems(bad)).toEqual([
      'devices[1].parents[0]: unknown device "core9" (parents name devices of this file)',
      'devices[1].parents[1]: device "dist1" cannot be its own parent',
    ]);
    expect(problems(BASE.replace('parents: [core1]', 'parents: core1'))[0]).toMatch(/^devices\[1\]\.parents: /);
  });
});
