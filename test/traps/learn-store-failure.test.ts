/**
 * A learned engine is recorded on the main thread, after the trap's time window: a store that
 * fails there (SQLite busy or full) must not throw out of the receiver, nor lose the trap.
 */
import { describe, expect, it } from 'vitest';
import type { V3Credential } from '../../src/model/credentials.ts';
import { TrapsConfigSchema } from '../../src/traps/config.ts';
import { MemoryEngineIdStore, type LearnedEngine } from '../../src/traps/engine.ts';
import type { TrapEvent } from '../../src/traps/event.ts';
import { TrapReceiver } from '../../src/traps/receiver.ts';
import { v3Trap } from './helpers.ts';

const SENDER_ENGINE = Buffer.from('8000000001020304aabbcc91', 'hex');
const user: V3Credential = { version: '3', user: 'learner', level: 'authNoPriv', authProtocol: 'SHA', authKey: 'learner-auth-pass' };
const config = TrapsConfigSchema.parse({ listen: '127.0.0.1:0', users: [{ ...user }], defaultRules: false });

class FailingStore extends MemoryEngineIdStore {
  override learn(_e: LearnedEngine): void {
    throw new Error('SQLITE_FULL: database or disk is full');
  }
}


describe('learned engine: a failing store', () => {
  it('does not throw out of handle(); the trap is recorded and the failure reported through onError', () => {
    const events: TrapEvent[] = [];
    const errors: string[] = [];
    const r = new TrapReceiver({ config, engineStore: new FailingStore(), record: (e) => void events.push(e), onError: (m) => void errors.push(m) });
    expect(() => r.handle(v3Trap(user, SENDER_ENGINE, 1, 100, '1.3.6.1.4.1.99999.0.1'), { address: '10.0.0.7', port: 40000 })).not.toThrow();
    expect(events).toHaveLength(1);
    expect(r.counters.accepted).toBe(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(SENDER_ENGINE.toString('hex'));
    expect(errors[0]).toContain('10.0.0.7');
    expect(errors[0]).toContain('SQLITE_FULL');
  });
});
