import { describe, expect, it } from 'vitest';
import { encodeCommunityMessage } from '../../src/snmp/wire/index.ts';
import { TrapsConfigSchema } from '../../src/traps/config.ts';
import { MemoryEngineIdStore, LocalEngine } from '../../src/traps/engine.ts';
import { TrapSecurity } from '../../src/traps/security.ts';

const trapWith = (community: Buffer) => encodeCommunityMessage({
  version: '2c', community,
  pdu: { type: 'TrapV2', requestId: 1, errorStatus: 0, errorIndex: 0, varbinds: [
    { oid: '1.3.6.1.2.1.1.3.0', type: 'TimeTicks', value: 5 },
    { oid: '1.3.6.1.6.3.1.1.4.1.0', type: 'OID', value: '1.3.6.1.6.3.1.1.5.1' },
  ] },
});

describe('community matching by the bytes on the wire', () => {
  const security = new TrapSecurity(
    TrapsConfigSchema.parse({ communities: [{ name: 'intl', community: 'pässwörd' }, { name: 'plain', community: 'public' }] }),
    LocalEngine.open(new MemoryEngineIdStore()),
  );
  it.each([
    ['the UTF-8 bytes of a non-ASCII community', Buffer.from('pässwörd', 'utf8'), 'intl'],
    ['an ASCII community', Buffer.from('public'), 'plain'],
    ['the latin1 bytes of the non-ASCII community (other bytes)', Buffer.from('pässwörd', 'latin1'), undefined],
  ])('%s', (_what, community, label) => {
    const r = security.check(trapWith(community), '192.0.2.1');
    expect(r.ok ? r.value.community : undefined).toBe(label);
    if (!r.ok) expect(r.reason).toBe('unknown-community');
  });
});
