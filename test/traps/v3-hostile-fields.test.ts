/**
 * A sender's engine ID is 5–32 bytes (RFC 3411 SnmpEngineID): a user that learns engine IDs must
 * not learn, keep a clock for, or log one of any other size, even from an authentic trap. A user
 * name nobody configured is anyone's bytes: the reject detail quotes it on one short line.
 */
import { describe, expect, it } from 'vitest';
import type { V3Credential } from '../../src/model/credentials.ts';
import { TrapsConfigSchema } from '../../src/traps/config.ts';
import { MemoryEngineIdStore } from '../../src/traps/engine.ts';
import type { TrapEvent } from '../../src/traps/event.ts';
import { TrapReceiver } from '../../src/traps/receiver.ts';
import { v3Trap } from './helpers.ts';

const user: V3Credential = { version: '3', user: 'learner', level: 'authNoPriv', authProtocol: 'SHA', authKey: 'learner-auth-pass' };
const config = TrapsConfigSchema.parse({ listen: '127.0.0.1:0', users: [{ ...user }], defaultRules: false });

describe('learned engine IDs: size', () => {
  it.each([
    { bytes: 4, accepted: false },
    { bytes: 5, accepted: true },
    { bytes: 32, accepted: true },
    { bytes: 33, accepted: false },
    { bytes: 4000, accepted: false },
  ])('an authentic trap from an engine ID of $bytes bytes is accepted: $accepted', ({ bytes, accepted }) => {
    const events: TrapEvent[] = [];
    const details: string[] = [];
    const store = new MemoryEngineIdStore();
    const r = new TrapReceiver({ config, engineStore: store, record: (e) => void events.push(e), onReject: (_r, _a, d) => void details.push(d) });
    r.handle(v3Trap(user, Buffer.alloc(bytes, 0x81), 1, 100, '1.3.6.1.4.1.99999.0.1'), { address: '10.0.0.7', port: 40000 });
    expect(events).toHaveLength(accepted ? 1 : 0);
    expect(store.list()).toHaveLength(accepted ? 1 : 0);
    if (!accepted) {
      expect(r.counters.byReason['unknown-engine']).toBe(1);
      expect(details[0]).toContain(`${bytes} bytes`);
      expect(details[0].length).toBeLessThan(200);
    }
  });
});

describe('unknown user names in reject details', () => {
  it.each([
    { name: 'nobody', detail: 'unknown user "nobody"' },
    { name: 'evil\nFAKE LOG LINE', detail: 'unknown user "evil\\nFAKE LOG LINE"' },
    { name: 'x'.repeat(4000), detail: `unknown user "${'x'.repeat(32)}"…` },
  ])('$detail', ({ name, detail }) => {
    const details: string[] = [];
    const r = new TrapReceiver({ config, record: () => undefined, onReject: (_r, _a, d) => void details.push(d) });
    r.handle(v3Trap({ user: name, level: 'noAuthNoPriv' }, Buffer.from('8000000001020304aabbcc92', 'hex'), 1, 100, '1.3.6.1.4.1.99999.0.1'), { address: '10.0.0.7', port: 40000 });
    expect(details).toEqual([detail]);
  });
});
