import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrapsConfigSchema } from '../../src/traps/config.ts';
import type { TrapEvent } from '../../src/traps/event.ts';
import { TrapReceiver } from '../../src/traps/receiver.ts';
import { requireSnmptrap, snmptrap, waitFor } from './helpers.ts';

const ENGINE = '8000000001020304aabbcc01';
const events: TrapEvent[] = [];
const receiver = new TrapReceiver({
  config: TrapsConfigSchema.parse({
    listen: '127.0.0.1:0',
    users: [
      { user: 'pinned', level: 'authPriv', authProtocol: 'SHA', authKey: 'pinned-auth-pass', privProtocol: 'AES', privKey: 'pinned-priv-pass', engineIds: [ENGINE] },
      { user: 'learner', level: 'authNoPriv', authProtocol: 'SHA', authKey: 'learner-auth-pass' },
      { user: 'open', level: 'noAuthNoPriv' },
    ],
    defaultRules: false,
  }),
  record: (e) => void events.push(e),
});
let port = 0;
beforeAll(async () => {
  requireSnmptrap();
  port = (await receiver.start())[0].port;
});
afterAll(() => receiver.stop());

const trap = (user: string, level: string, engine: string, oid: string, informTo = false) =>
  snmptrap([...(informTo ? ['-Ci', '-r', '0', '-t', '1'] : []), '-v', '3', '-u', user, '-l', level, ...(engine ? ['-e', `0x${engine}`] : []), `127.0.0.1:${port}`, '', oid]);

describe('v3 notifications below the user\'s configured level', () => {
  it('rejects noAuthNoPriv traps under an authPriv or authNoPriv user name (no digest, no key needed)', async () => {
    const before = receiver.counters.byReason['unsupported-sec-level'];
    expect((await trap('pinned', 'noAuthNoPriv', ENGINE, '1.3.6.1.4.1.99999.0.11')).code).toBe(0);
    expect((await trap('learner', 'noAuthNoPriv', '800000000102030405bb', '1.3.6.1.4.1.99999.0.12')).code).toBe(0);
    await waitFor(() => receiver.counters.byReason['unsupported-sec-level'] >= before + 2, 20_000, 'unsupported-sec-level count');
    // the authentic one still gets through, after the forged ones
    const ok = await snmptrap(['-v', '3', '-u', 'learner', '-l', 'authNoPriv', '-a', 'SHA', '-A', 'learner-auth-pass', '-e', '0x800000000102030405bb', `127.0.0.1:${port}`, '', '1.3.6.1.4.1.99999.0.13']);
    expect(ok.code, ok.stderr).toBe(0);
    await waitFor(() => events.find((e) => e.trapOid === '1.3.6.1.4.1.99999.0.13'), 20_000, 'authentic trap');
    expect(events.map((e) => e.trapOid)).not.toContain('1.3.6.1.4.1.99999.0.11');
    expect(events.map((e) => e.trapOid)).not.toContain('1.3.6.1.4.1.99999.0.12');
    expect(receiver.engines.get('800000000102030405bb')).toMatchObject({ user: 'learner' });
  });

  it('does not acknowledge a noAuthNoPriv inform under an authNoPriv user', async () => {
    const acked = receiver.counters.informsAcked;
    const r = await trap('learner', 'noAuthNoPriv', '', '1.3.6.1.4.1.99999.0.14', true);
    expect(r.code).not.toBe(0);
    expect(receiver.counters.informsAcked).toBe(acked);
    expect(events.map((e) => e.trapOid)).not.toContain('1.3.6.1.4.1.99999.0.14');
  });
});

describe('learned engine IDs', () => {
  it('a noAuthNoPriv trap is accepted but its (unauthenticated) engine ID is not recorded', async () => {
    const r = await trap('open', 'noAuthNoPriv', '800000000102030405cc', '1.3.6.1.4.1.99999.0.15');
    expect(r.code, r.stderr).toBe(0);
    await waitFor(() => events.find((e) => e.trapOid === '1.3.6.1.4.1.99999.0.15'), 20_000, 'noAuthNoPriv trap');
    expect(receiver.engines.get('800000000102030405cc')).toBeUndefined();
  });
});
