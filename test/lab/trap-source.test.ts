/**
 * Lab notifications leave from the sending device's own socket, so with --address-per-device a
 * receiver tells devices apart by source address, as it does with real ones; inform Responses
 * come back to that socket and still count as acknowledged.
 */
import dgram from 'node:dgram';
import { afterAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../src/lab/index.ts';
import { decodeMessage, encodeCommunityMessage } from '../../src/snmp/wire/index.ts';

let lab: Lab | undefined;
const receiver = dgram.createSocket('udp4');
afterAll(async () => {
  await lab?.stop();
  receiver.close();
});

describe('lab trap source', () => {
  it('a device with its own address sends from it; a v2c inform is acknowledged through the device socket', async () => {
    await new Promise<void>((r) => receiver.bind(0, '127.0.0.1', () => r()));
    const got: Array<{ address: string; port: number; type: string }> = [];
    receiver.on('message', (buf, rinfo) => {
      const d = decodeMessage(buf);
      if (!d.ok || d.value.version === '3') return;
      const m = d.value;
      got.push({ address: rinfo.address, port: rinfo.port, type: m.pdu.type });
      if (m.version === '2c' && m.pdu.type === 'InformRequest') {
        const reply = encodeCommunityMessage({ version: '2c', community: m.community, pdu: { ...m.pdu, type: 'Response' } });
        receiver.send(reply, rinfo.port, rinfo.address);
      }
    });
    lab = await startLab({ devices: 9, seed: 4, addressPerDevice: true, basePort: 0, trapsTo: `127.0.0.1:${receiver.address().port}` });
    const trap = lab.devices.find((d) => d.version === '2c' && d.index % 3 !== 2)!;
    const inform = lab.devices.find((d) => d.version === '2c' && d.index % 3 === 2)!;
    const now = Date.now();
    lab.traps!.send(trap, 'linkDown', now, 1);
    lab.traps!.send(inform, 'linkDown', now, 1);
    const deadline = Date.now() + 20_000;
    while ((got.length < 2 || lab.traps!.stats.informsAcked < 1) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(got).toContainEqual({ address: trap.address, port: trap.port, type: 'TrapV2' });
    expect(got).toContainEqual({ address: inform.address, port: inform.port, type: 'InformRequest' });
    expect(trap.address).not.toBe(inform.address);
    expect(lab.traps!.stats.informsAcked).toBe(1);
  });
});
