import { describe, expect, it } from 'vitest';
import { claimedAddress, deviceOf } from '../../src/traps/build-event.ts';
import type { TrapEvent, TrapVarbind } from '../../src/traps/event.ts';

const DEVICES: Record<string, string> = { '192.0.2.1': 'nat-gw', '10.0.0.5': 'switch-5', '10.0.0.6': 'switch-6' };
const resolve = (a: string) => DEVICES[a];
const trapAddress = (value: string, type: TrapVarbind['type'] = 'IpAddress'): TrapVarbind => ({ oid: '1.3.6.1.6.3.18.1.3.0', type, value });
const v1 = (agentAddr: string): Pick<TrapEvent, 'v1'> => ({ v1: { enterprise: '1.3.6.1.4.1.9', agentAddr, genericTrap: 6, specificTrap: 1 } });

describe('deviceOf: the claimed originator (v1 agent-addr, snmpTrapAddress.0) wins over the UDP source when it is a known device', () => {
  it.each([
    ['v1 agent-addr known, from a known NAT gateway', '192.0.2.1', v1('10.0.0.5'), [], 'switch-5'],
    ['v1 agent-addr unknown: the source', '192.0.2.1', v1('10.0.0.99'), [], 'nat-gw'],
    ['v1 agent-addr 0.0.0.0 is ignored', '192.0.2.1', v1('0.0.0.0'), [], 'nat-gw'],
    ['v1 agent-addr known, source unknown', '198.51.100.7', v1('10.0.0.5'), [], 'switch-5'],
    ['v1: agent-addr rules, a payload snmpTrapAddress.0 does not', '192.0.2.1', v1('10.0.0.5'), [trapAddress('10.0.0.6')], 'switch-5'],
    ['v2c snmpTrapAddress.0 known, from a known forwarder', '192.0.2.1', {}, [trapAddress('10.0.0.5')], 'switch-5'],
    ['v2c snmpTrapAddress.0 unknown: the source', '192.0.2.1', {}, [trapAddress('10.0.0.99')], 'nat-gw'],
    ['v2c snmpTrapAddress.0 0.0.0.0 is ignored', '192.0.2.1', {}, [trapAddress('0.0.0.0')], 'nat-gw'],
    ['v2c: the first snmpTrapAddress.0 (the originator\'s) counts', '192.0.2.1', {}, [trapAddress('10.0.0.6'), trapAddress('10.0.0.5')], 'switch-6'],
    ['v2c snmpTrapAddress.0 that is not an IpAddress is ignored', '192.0.2.1', {}, [trapAddress('10.0.0.5', 'OctetString')], 'nat-gw'],
    ['v2c without snmpTrapAddress.0: the source', '10.0.0.6', {}, [], 'switch-6'],
    ['nothing known', '198.51.100.7', {}, [trapAddress('10.0.0.99')], undefined],
  ] as const)('%s', (_what, source, extra, varbinds, device) => {
    expect(deviceOf({ source: { address: source, port: 162 }, ...extra, varbinds: [...varbinds] }, resolve)).toBe(device);
  });

  it('a resolver that throws is treated as unknown', () => {
    const e = { source: { address: '192.0.2.1', port: 162 }, varbinds: [trapAddress('10.0.0.5')] };
    expect(deviceOf(e, (a) => { if (a === '10.0.0.5') throw new Error('registry down'); return resolve(a); })).toBe('nat-gw');
    expect(claimedAddress(e)).toBe('10.0.0.5');
  });
});
