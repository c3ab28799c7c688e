/**
 * A notification's claimed originator (v1 agent-addr, snmpTrapAddress.0) picks the device only
 * when the allow-lists would accept that address as a source too: a sender allowed for a
 * community cannot attribute traps to a device that community may not speak for.
 */
import { describe, expect, it } from 'vitest';
import { encodeCommunityMessage } from '../../src/snmp/wire/index.ts';
import { TrapsConfigSchema } from '../../src/traps/config.ts';
import type { TrapEvent } from '../../src/traps/event.ts';
import { TrapReceiver } from '../../src/traps/receiver.ts';
import { waitFor } from './helpers.ts';

const DEVICES: Record<string, string> = { '192.0.2.1': 'nat-gw', '10.0.0.5': 'switch-5', '10.9.0.5': 'core-5' };
const GW = { address: '192.0.2.1', port: 40000 };

const v1 = (agentAddr: string) => encodeCommunityMessage({
  version: '1', community: Buffer.from('nat-comm'),
  pdu: { type: 'TrapV1', enterprise: '1.3.6.1.4.1.8072', agentAddr, genericTrap: 6, specificTrap: 1, timestamp: 1, varbinds: [] },
});
const v2c = (trapAddress: string) => encodeCommunityMessage({
  version: '2c', community: Buffer.from('nat-comm'),
  pdu: { type: 'TrapV2', requestId: 1, errorStatus: 0, errorIndex: 0, varbinds: [
    { oid: '1.3.6.1.2.1.1.3.0', type: 'TimeTicks', value: 1 },
    { oid: '1.3.6.1.6.3.1.1.4.1.0', type: 'OID', value: '1.3.6.1.4.1.99999.0.1' },
    { oid: '1.3.6.1.6.3.18.1.3.0', type: 'IpAddress', value: trapAddress },
  ] },
});

function receiver(allow: { community?: string[]; global?: string[] }, workers = 0) {
  const events: TrapEvent[] = [];
  const config = TrapsConfigSchema.parse({
    listen: '127.0.0.1:0',
    communities: [{ community: 'nat-comm', allow: allow.community }],
    allow: allow.global,
    defaultRules: false,
  });
  const r = new TrapReceiver({ config: { ...config, workers }, resolveDevice: (a) => DEVICES[a], record: (e) => void events.push(e) });
  return { r, events };
}

describe('claimed originator address and the allow-lists', () => {
  it.each([
    ['v1 agent-addr inside the community\'s allow-list', { community: ['192.0.2.1', '10.0.0.0/24'] }, v1('10.0.0.5'), 'switch-5'],
    ['v1 agent-addr outside the community\'s allow-list: the source\'s device', { community: ['192.0.2.1', '10.0.0.0/24'] }, v1('10.9.0.5'), 'nat-gw'],
    ['v1 agent-addr outside the global allow-list', { global: ['192.0.2.0/24', '10.0.0.0/24'] }, v1('10.9.0.5'), 'nat-gw'],
    ['v2c snmpTrapAddress.0 outside the community\'s allow-list', { community: ['192.0.2.1'] }, v2c('10.0.0.5'), 'nat-gw'],
    ['v2c snmpTrapAddress.0 inside it', { community: ['192.0.2.1', '10.0.0.5'] }, v2c('10.0.0.5'), 'switch-5'],
    ['no allow-lists: every claim is taken', {}, v2c('10.9.0.5'), 'core-5'],
  ] as [string, { community?: string[]; global?: string[] }, Buffer, string][])('%s', (_what, allow, buf, device) => {
    const { r, events } = receiver(allow);
    r.handle(buf, GW);
    expect(events).toHaveLength(1);
    expect(events[0].device).toBe(device);
    expect(events[0].source.address).toBe('192.0.2.1');
  });

  it('worker threads decide the same as the main thread', async () => {
    const { r, events } = receiver({ community: ['192.0.2.1', '10.0.0.0/24'] }, 1);
    await r.start();
    try {
      r.handle(v1('10.9.0.5'), GW);
      r.handle(v1('10.0.0.5'), GW);
      await waitFor(() => events.length === 2, 10_000, 'two traps');
      expect(events.map((e) => e.device).sort()).toEqual(['nat-gw', 'switch-5']);
    } finally {
      await r.stop();
    }
  });
});
