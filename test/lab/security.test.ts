import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab, type LabDevice } from '../../src/lab/index.ts';
import { target, tool } from './helpers.ts';

let lab: Lab;
beforeAll(async () => {
  lab = await startLab({ devices: 12, seed: 3, basePort: 0 });
});
afterAll(async () => {
  await lab?.stop();
});

const SYSNAME = '1.3.6.1.2.1.1.5.0';
const byVersion = (v: string): LabDevice => lab.devices.find((d) => d.version === v)!;
const fast = ['-t', '0.5', '-r', '0', '-On'];
const patient = ['-t', '3', '-r', '1', '-On'];

describe('community and version checks', () => {
  it.each([
    ['wrong community (v2c)', '2c', ['-v2c', '-c', 'not-the-community']],
    ['wrong community (v1)', '1', ['-v1', '-c', 'public']],
    ['v1 request to a v2c-only device', '2c', ['-v1', '-c', 'np-lab-ro']],
    ['v2c request to a v1-only device', '1', ['-v2c', '-c', 'np-lab-ro']],
    ['v2c request to a v3-only device', '3', ['-v2c', '-c', 'np-lab-ro']],
  ])('%s → silence', async (_n, v, args) => {
    const d = byVersion(v);
    const r = await tool('snmpget', [...args, ...fast, target(d), SYSNAME]);
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/Timeout: No Response/);
  });

  it('the right community answers', async () => {
    const d = byVersion('2c');
    const r = await tool('snmpget', ['-v2c', '-c', 'np-lab-ro', ...patient, target(d), SYSNAME]);
    expect(r.stdout).toContain(`"${d.name}"`);
  });
});

describe('v3 USM', () => {
  const user = (u: string, a: string, A: string, x?: string, X?: string) =>
    ['-v3', '-u', u, '-l', x ? 'authPriv' : 'authNoPriv', '-a', a, '-A', A, ...(x ? ['-x', x, '-X', X!] : [])];
  it.each([
    ['SHA-256 / AES', user('np-sha256-aes', 'SHA-256', 'lab-auth-256', 'AES', 'lab-priv-aes128')],
    ['SHA-512 / AES-256 (Blumenthal)', user('np-sha512-aes256', 'SHA-512', 'lab-auth-512', 'AES-256', 'lab-priv-aes256')],
    ['SHA-1 / AES', user('np-sha-aes', 'SHA', 'lab-auth-sha1', 'AES', 'lab-priv-sha1aes')],
    ['SHA-224 authNoPriv', user('np-sha224-auth', 'SHA-224', 'lab-auth-224')],
    ['MD5 / DES', user('np-md5-des', 'MD5', 'lab-auth-md5', 'DES', 'lab-priv-des')],
  ])('%s answers', async (_n, args) => {
    const d = byVersion('3');
    const r = await tool('snmpget', [...args, ...patient, target(d), SYSNAME]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`"${d.name}"`);
  });

  it.each([
    ['wrong auth key', user('np-sha256-aes', 'SHA-256', 'wrong-auth-key', 'AES', 'lab-priv-aes128'), /Authentication failure/],
    ['unknown user', user('intruder', 'SHA-256', 'lab-auth-256', 'AES', 'lab-priv-aes128'), /Unknown user name/],
    ['wrong priv key', user('np-sha256-aes', 'SHA-256', 'lab-auth-256', 'AES', 'wrong-priv-key'), /[Dd]ecrypt/],
    ['auth protocol mismatch', user('np-sha256-aes', 'SHA-512', 'lab-auth-256', 'AES', 'lab-priv-aes128'), /Authentication failure/],
    ['level above the user', user('np-sha224-auth', 'SHA-224', 'lab-auth-224', 'AES', 'lab-priv-aes128'), /[Uu]nsupported security level/],
  ])('%s → report', async (_n, args, re) => {
    const d = byVersion('3');
    const r = await tool('snmpget', [...args, ...patient, target(d), SYSNAME]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(re);
  });
});
