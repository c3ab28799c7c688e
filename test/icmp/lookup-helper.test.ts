/** LookupHelper: getaddrinfo in a helper process (short commands), answers and errors as dns.lookup's. */
import { describe, expect, it } from 'vitest';
import { LookupHelper } from '../../src/icmp/lookup-helper.ts';
import { NameResolver } from '../../src/icmp/name-resolver.ts';
import { resolveHosts } from '../../src/icmp/resolve.ts';

describe('LookupHelper', () => {
  it('answers from /etc/hosts like dns.lookup, through the NameResolver', async () => {
    const helper = new LookupHelper();
    expect((await helper.lookup('localhost')).address).toMatch(/^(127\.0\.0\.1|::1)$/);
    const r = await resolveHosts(['localhost', '127.0.0.2'], 5000, new NameResolver({ lookup: helper.lookup }));
    expect(r.get('localhost')).toEqual({ address: expect.stringMatching(/^(127\.0\.0\.1|::1)$/) });
    expect(r.get('127.0.0.2')).toEqual({ address: '127.0.0.2' });
  });

  it('a lookup error keeps its code (the resolver words the cause from it)', async () => {
    const helper = new LookupHelper();
    // an empty label: getaddrinfo refuses it locally, no DNS query leaves (checked with strace)
    const err = (await helper.lookup('a..b').catch((e: unknown) => e)) as NodeJS.ErrnoException;
    expect(err).toBeInstanceOf(Error);
    expect([err.code, err.message]).toEqual(['ENOTFOUND', 'getaddrinfo ENOTFOUND a..b']);
  });
});

describe('LookupHelper input', () => {
  it('refuses a name with a line break instead of sending it as two requests', async () => {
    const helper = new LookupHelper();
    // on one line each, "localhost" would be answered for this lookup and "1 a..b" for the next one's id
    const err = (await helper.lookup('localhost\n1 a..b').catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toBe('icmp: lookup helper: host "localhost\\n1 a..b": invalid host name (line break)');
    expect((await helper.lookup('localhost')).address).toMatch(/^(127\.0\.0\.1|::1)$/);
  });
});
