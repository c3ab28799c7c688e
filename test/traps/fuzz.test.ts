import { describe, expect, it } from 'vitest';
import type { V3Credential } from '../../src/model/credentials.ts';
import { deriveUserKeys, encodeCommunityMessage, encodeV3 } from '../../src/snmp/wire/index.ts';
import { TrapsConfigSchema } from '../../src/traps/config.ts';
import { TrapReceiver } from '../../src/traps/receiver.ts';

/** xorshift32: reproducible */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x / 0x1_0000_0000;
  };
}

const ENGINE = Buffer.from('80000000010203040506', 'hex');
const cred: V3Credential = { version: '3', user: 'fuzz', level: 'authPriv', authProtocol: 'SHA', authKey: 'fuzz-auth-pass', privProtocol: 'AES', privKey: 'fuzz-priv-pass' };
const vbs = [
  { oid: '1.3.6.1.2.1.1.3.0', type: 'TimeTicks' as const, value: 1234 },
  { oid: '1.3.6.1.6.3.1.1.4.1.0', type: 'OID' as const, value: '1.3.6.1.6.3.1.1.5.3' },
  { oid: '1.3.6.1.2.1.2.2.1.1.3', type: 'Integer' as const, value: 3 },
  { oid: '1.3.6.1.2.1.2.2.1.2.3', type: 'OctetString' as const, value: Buffer.from('eth0') },
  { oid: '1.3.6.1.2.1.31.1.1.1.6.3', type: 'Counter64' as const, value: 2n ** 40n },
];

function seeds(): Buffer[] {
  const community = Buffer.from('fuzz-comm');
  return [
    encodeCommunityMessage({ version: '2c', community, pdu: { type: 'TrapV2', requestId: 1, errorStatus: 0, errorIndex: 0, varbinds: vbs } }),
    encodeCommunityMessage({ version: '2c', community, pdu: { type: 'InformRequest', requestId: 2, errorStatus: 0, errorIndex: 0, varbinds: vbs } }),
    encodeCommunityMessage({ version: '1', community, pdu: { type: 'TrapV1', enterprise: '1.3.6.1.4.1.8072', agentAddr: '10.0.0.1', genericTrap: 6, specificTrap: 5, timestamp: 99, varbinds: vbs.slice(2) } }),
    encodeV3({
      msgId: 7, reportable: false, level: 'authPriv', engineId: ENGINE, engineBoots: 1, engineTime: 10, userName: 'fuzz',
      keys: deriveUserKeys(cred, ENGINE),
      scopedPdu: { contextEngineId: ENGINE, contextName: Buffer.alloc(0), pdu: { type: 'TrapV2', requestId: 3, errorStatus: 0, errorIndex: 0, varbinds: vbs } },
    }),
  ];
}

function mutate(seed: Buffer, r: () => number): Buffer {
  const b = Buffer.from(seed);
  const n = 1 + Math.floor(r() * 4);
  let out = b;
  for (let i = 0; i < n; i++) {
    const op = Math.floor(r() * 5);
    const at = Math.floor(r() * out.length);
    if (op === 0) out[at] ^= 1 << Math.floor(r() * 8);
    else if (op === 1) out[at] = Math.floor(r() * 256);
    else if (op === 2) out = out.subarray(0, at);
    else if (op === 3) out = Buffer.concat([out.subarray(0, at), Buffer.from([Math.floor(r() * 256)]), out.subarray(at)]);
    else out[at] = [0x00, 0x7f, 0x80, 0x81, 0x84, 0xff][Math.floor(r() * 6)];
  }
  return out;
}

describe('fuzz: decode + USM path in-process', () => {
  it('100,000 random and mutated datagrams: zero crashes, every one accounted for', () => {
    let recorded = 0;
    const receiver = new TrapReceiver({
      config: TrapsConfigSchema.parse({
        listen: '127.0.0.1:0',
        communities: [{ community: 'fuzz-comm' }],
        users: [{ user: 'fuzz', level: 'authPriv', authProtocol: 'SHA', authKey: 'fuzz-auth-pass', privProtocol: 'AES', privKey: 'fuzz-priv-pass', engineIds: [ENGINE.toString('hex')] }],
        defaultRules: false,
      }),
      record: () => {
        recorded++;
      },
    });
    const r = rng(20261122);
    const base = seeds();
    // the unmutated seeds are all accepted
    for (const s of base) receiver.handle(s, { address: '127.0.0.1', port: 1 });
    expect(receiver.counters.accepted).toBe(base.length);

    const N = 100_000;
    let randomOnes = 0;
    for (let i = 0; i < N; i++) {
      let d: Buffer;
      if (i % 4 === 0) {
        randomOnes++;
        d = Buffer.alloc(Math.floor(r() * 200));
        for (let j = 0; j < d.length; j++) d[j] = Math.floor(r() * 256);
      } else {
        d = mutate(base[i % base.length], r);
      }
      receiver.handle(d, { address: `127.0.0.${1 + (i % 200)}`, port: 1000 + (i % 1000) });
    }
    const c = receiver.counters;
    expect(c.received).toBe(N + base.length);
    // mutations that leave an inform's sender and request-id intact are retries: acked, not recorded again
    expect(c.accepted + c.rejected + c.discoveries + c.duplicateInforms).toBe(c.received);
    expect(c.accepted).toBe(recorded);
    // random bytes essentially never form a message: all counted as malformed
    expect(c.byReason.malformed).toBeGreaterThanOrEqual(randomOnes * 0.99);
    expect(c.byReason['record-failed']).toBe(0);
    console.log('fuzz outcome', { accepted: c.accepted, discoveries: c.discoveries, ...Object.fromEntries(Object.entries(c.byReason).filter(([, v]) => v)) });
  }, 120_000);
});
