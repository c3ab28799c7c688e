import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../src/config/load.ts';

const EXAMPLE = fileURLToPath(new URL('../../src/config/config.example.yaml', import.meta.url));
const ENV = { NETPULSE_LAB_COMMUNITY: 'lab-community', NETPULSE_LAB_AUTH: 'lab-auth-key', NETPULSE_LAB_PRIV: 'lab-priv-key' };

describe('src/config/config.example.yaml', () => {
  const example = loadConfig(EXAMPLE, ENV);
  const defaults = parseConfig('{}', '', {});

  it('its settings are exactly the schema defaults', () => {
    for (const key of ['defaults', 'dataDir', 'mibDirs', 'mibUpload', 'storage', 'alerts', 'notifications', 'api', 'traps', 'topology', 'maintenance'] as const) {
      expect(example[key], key).toEqual(defaults[key]);
    }
  });

  it('its commented-out optional sections are valid and show the defaults', () => {
    const text = readFileSync(EXAMPLE, 'utf8');
    const block = (name: string) => {
      const lines = text.split('\n');
      const start = lines.findIndex((l) => l.startsWith(`# ${name}:`));
      const out: string[] = [];
      for (let i = start; i < lines.length && /^# \S|^#   /.test(lines[i]); i++) out.push(lines[i].slice(2).replace(/\s+# .*$/, ''));
      return out.join('\n');
    };
    const env = { ...ENV, NETPULSE_TRAP_COMMUNITY: 'trap-community' };
    const traps = parseConfig(block('traps'), '', env).traps!;
    expect(traps.listen).toEqual(parseConfig('traps: {}', '', {}).traps!.listen);
    expect(traps.users[0]).toMatchObject({ user: 'netops', level: 'authPriv', authProtocol: 'SHA-256', privProtocol: 'AES' });
    expect(parseConfig(block('topology'), '', {}).topology).toMatchObject({ schedule: '0 3 * * *' });
    expect(parseConfig(block('maintenance'), '', {}).maintenance.map((w) => w.name)).toEqual(['sunday-reboots', 'lab-rewire']);
  });

  it('its inventory uses only loopback addresses and environment secrets', () => {
    for (const d of example.devices) expect(['127.0.0.1', '::1']).toContain(d.address);
    expect(example.credentials['lab-v2c']).toEqual({ version: '2c', community: 'lab-community' });
    expect(example.devices[1]).toMatchObject({ profiles: ['system', 'interfaces', 'lab-temperature'], intervalMs: 300_000, profileIntervalsMs: { interfaces: 30_000 } });
    const text = readFileSync(EXAMPLE, 'utf8');
    const addresses = text.match(/(?<![\d.])\d{1,3}(\.\d{1,3}){3}(?![\d.])/g) ?? [];
    for (const a of addresses) expect(a.startsWith('127.'), a).toBe(true);
  });
});
