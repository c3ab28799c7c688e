// YAML aliases are ordinary config (many devices sharing `tags: *t`); what is bounded is the size they expand to.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run as configCmd } from '../../src/cli/commands/config.ts';
import { parseConfig } from '../../src/config/load.ts';
import { readYamlTree } from '../../src/config/yaml-tree.ts';
import { ConfigError } from '../../src/errors/index.ts';
import { configProblems } from './config-problems.ts';
import { inProcess } from './run-command.ts';

function sharedAliases(devices: number): string {
  let t = 'credentials:\n  c1: {version: 2c, community: x}\ndevices:\n';
  t += '  - {name: r0, address: 10.0.0.1, credentials: c1, tags: &t {site: ams, role: access}, profiles: &p [system, interfaces]}\n';
  for (let i = 1; i < devices; i++) t += `  - {name: r${i}, address: 10.0.${i >> 8}.${i & 255}, credentials: c1, tags: *t, profiles: *p}\n`;
  return t;
}

/** 9 levels of 9 aliases each: 9^9 ≈ 387 million strings from a few hundred bytes */
function billionLaughs(): string {
  const lines = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i < 9; i++) {
    const [name, prev] = [String.fromCharCode(97 + i), String.fromCharCode(96 + i)];
    lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
  }
  return lines.join('\n') + '\n';
}

describe('config YAML aliases', () => {
  it('500 devices sharing tags and profiles through aliases load (1,000 alias uses)', () => {
    const c = parseConfig(sharedAliases(500), 'a.yaml', {});
    expect(c.devices).toHaveLength(500);
    expect(c.devices[499]).toMatchObject({ name: 'r499', tags: { site: 'ams', role: 'access' }, profiles: ['system', 'interfaces'] });
  });

  it('a billion laughs is a ConfigError naming the line of the alias that expands most', () => {
    expect(configProblems(billionLaughs())).toEqual([
      'line 9, column 8: aliases expand the file to 490,329,064 values, above the limit of 1,000,000 (this alias alone to 48,427,561); repeat less through aliases',
    ]);
  });

  it.each([
    ['an alias with no anchor before it', 'dataDir: *nowhere\n', ['line 1, column 10: alias *nowhere names no anchor set before it']],
    ['an alias inside the node it names', 'mibDirs: &m [a, *m]\n', ['line 1, column 17: alias *m is inside the node it names (a cycle)']],
  ])('%s is a ConfigError', (_what, yaml, problems) => {
    expect(configProblems(yaml)).toEqual(problems);
  });

  it('the bound counts the expanded values, whatever the number of aliases', () => {
    const yaml = 'x: &x [1, 2, 3]\ny: [*x, *x, *x]\n'; // the mapping, 2 keys, x's list of 3, y's list, 3 × 4 through aliases: 20 values
    expect(readYamlTree(yaml, 'f', 20)).toEqual({ x: [1, 2, 3], y: [[1, 2, 3], [1, 2, 3], [1, 2, 3]] });
    expect(() => readYamlTree(yaml, 'f', 19)).toThrow(ConfigError);
  });

  describe('netpulse config check', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netpulse-aliases-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('refuses a billion laughs with status 2 and one problem line, no stack', async () => {
      const file = join(dir, 'laughs.yaml');
      writeFileSync(file, billionLaughs());
      const { code, stderr } = await inProcess(configCmd, ['check', file]);
      expect(code).toBe(2);
      expect(stderr).toBe(`netpulse: config ${file}: 1 problem\n  line 9, column 8: aliases expand the file to 490,329,064 values, above the limit of 1,000,000 (this alias alone to 48,427,561); repeat less through aliases\n`);
    });
  });
});
