import { describe, expect, it } from 'vitest';
import { checkCredentialSupported, credentialKey, credentialProblems, isDesAvailable } from '../../src/snmp/credentials.ts';
import type { Credential } from '../../src/model/credentials.ts';

const v3 = (extra: object): Credential => ({ version: '3', user: 'ops', level: 'authPriv', authProtocol: 'SHA-256', authKey: 'secret-auth', privProtocol: 'AES', privKey: 'secret-priv', ...extra }) as Credential;

describe('checkCredentialSupported', () => {
  it.each([
    [{ version: '2c', community: 'public' }],
    [{ version: '1', community: 'public' }],
    [v3({})],
    [v3({ privProtocol: 'AES-256' })],
    [v3({ privProtocol: 'AES-256-C', authProtocol: 'SHA-512' })],
    [v3({ level: 'authNoPriv', privProtocol: undefined, privKey: undefined, authProtocol: 'MD5' })],
    [{ version: '3', user: 'ops', level: 'noAuthNoPriv' }],
  ])('accepts %j', (c) => expect(() => checkCredentialSupported(c as Credential)).not.toThrow());

  it.each([
    [v3({ privProtocol: 'AES-192' }), /AES-192.*not supported.*no AES-192/],
    [v3({ privProtocol: 'AES-192-C' }), /AES-192-C.*not supported/],
    [v3({ privProtocol: 'BLOWFISH' }), /unsupported priv protocol "BLOWFISH"/],
    [v3({ authProtocol: 'SHA1' }), /unsupported auth protocol "SHA1"/],
    [v3({ authKey: 'short' }), /at least 8/],
    [v3({ privKey: undefined }), /needs a priv password/],
    [{ version: '2c', community: '' }, /non-empty community/],
  ])('rejects %j', (c, msg) => expect(() => checkCredentialSupported(c as Credential)).toThrow(msg));

  it('never puts secrets in the message', () => {
    const msgs = credentialProblems(v3({ privProtocol: 'AES-192', authProtocol: 'NOPE' })).join(' ');
    expect(msgs).not.toMatch(/secret/);
  });

  it('says whether DES works in this process, and why not', () => {
    const problems = credentialProblems(v3({ privProtocol: 'DES' }));
    if (isDesAvailable()) expect(problems).toEqual([]);
    else expect(problems.join()).toMatch(/DES is unavailable.*--openssl-legacy-provider/);
  });
});

describe('credentialKey (the session cache key)', () => {
  it('does not depend on the order the fields were written in', () => {
    const a: Credential = { version: '3', user: 'ops', level: 'authPriv', authProtocol: 'SHA-256', authKey: 'secret-auth', privProtocol: 'AES', privKey: 'secret-priv' };
    const b = { privKey: 'secret-priv', privProtocol: 'AES', authKey: 'secret-auth', authProtocol: 'SHA-256', level: 'authPriv', user: 'ops', version: '3' } as Credential;
    expect(credentialKey(b)).toBe(credentialKey(a));
    expect(credentialKey({ community: 'public', version: '2c' } as Credential)).toBe(credentialKey({ version: '2c', community: 'public' }));
  });

  it.each<[string, Partial<Credential>]>([
    ['auth password', { authKey: 'other-auth' }],
    ['priv password', { privKey: 'other-priv' }],
    ['priv protocol', { privProtocol: 'AES-256' }],
    ['context', { context: 'vlan-1' }],
    ['user', { user: 'ops2' }],
  ])('changes with the %s', (_name, change) => {
    const a = v3({});
    expect(credentialKey({ ...a, ...change } as Credential)).not.toBe(credentialKey(a));
  });
});
