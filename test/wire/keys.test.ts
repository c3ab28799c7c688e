import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { localizedKey, passwordToKey, privacyKey } from '../../src/snmp/wire/index.ts';
import type { AuthProtocol, PrivProtocol } from '../../src/model/index.ts';

const require = createRequire(import.meta.url);
// net-snmp (a different implementation) as the cross-check for SHA-2 and AES-256 key extension
const netsnmp = require('net-snmp');

const ENGINE = Buffer.from('000000000000000000000002', 'hex');

describe('RFC 3414 A.3 password-to-key vectors', () => {
  it.each([
    ['MD5', '9faf3283884e92834ebc9847d8edd963', '526f5eed9fcce26f8964c2930787d82b'],
    ['SHA', '9fb5cc0381497b3793528939ff788d5d79145211', '6695febc9288e36282235fc7151f128497b38f3f'],
  ] as const)('%s', (auth, ku, kul) => {
    expect(passwordToKey(auth, 'maplesyrup').toString('hex')).toBe(ku);
    expect(localizedKey(auth, 'maplesyrup', ENGINE).toString('hex')).toBe(kul);
  });
});

const NS_AUTH: Record<AuthProtocol, number> = {
  MD5: netsnmp.AuthProtocols.md5, SHA: netsnmp.AuthProtocols.sha, 'SHA-224': netsnmp.AuthProtocols.sha224,
  'SHA-256': netsnmp.AuthProtocols.sha256, 'SHA-384': netsnmp.AuthProtocols.sha384, 'SHA-512': netsnmp.AuthProtocols.sha512,
};

describe('localised keys agree with net-snmp', () => {
  it.each(Object.keys(NS_AUTH) as AuthProtocol[])('auth %s', (auth) => {
    const theirs = netsnmp.Authentication.passwordToKey(NS_AUTH[auth], 'a longer pass phrase', ENGINE);
    expect(localizedKey(auth, 'a longer pass phrase', ENGINE).toString('hex')).toBe(theirs.toString('hex'));
  });

  const cases: [AuthProtocol, PrivProtocol, string][] = [];
  for (const a of ['MD5', 'SHA', 'SHA-256', 'SHA-512'] as AuthProtocol[]) {
    cases.push([a, 'AES', 'generateLocalizedKey'], [a, 'AES-256', 'generateLocalizedKeyBlumenthal'], [a, 'AES-256-C', 'generateLocalizedKeyReeder']);
  }
  it.each(cases)('%s + %s', (auth, priv, fn) => {
    const len = priv === 'AES' ? 16 : 32;
    const theirs: Buffer = netsnmp.Encryption[fn]({ KEY_LENGTH: len }, NS_AUTH[auth], 'privpass123', ENGINE);
    expect(privacyKey(auth, priv, 'privpass123', ENGINE).toString('hex')).toBe(theirs.toString('hex'));
  });
});
