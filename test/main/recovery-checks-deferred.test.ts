/**
 * Review fix: the runtime hands each device_status to AlertManager.devicePolled while graces run
 * and also while re-evaluations wait for a later slice (deferredCount) with no grace running yet
 * (e.g. the first slice's keys all under a maintenance window): a deferred key is settled at its
 * device's check. A device on a silent loopback UDP port (its polls time out: `down`) feeds the sink.
 */
import { createSocket, type Socket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NetpulseRuntime } from '../../src/main/runtime.ts';
import { startHoldRuntime, untilWithLog } from './runtime-fixtures.ts';

let silent: Socket | undefined;
let rt: NetpulseRuntime | undefined;
let stop: (() => Promise<void>) | undefined;
const logLines: string[] = [];
const until = untilWithLog(logLines);

beforeAll(async () => {
  silent = createSocket('udp4');
  await new Promise<void>((resolve) => silent!.bind(0, '127.0.0.1', resolve));
  ({ rt, stop } = await startHoldRuntime('recovery-checks', `
  lab: { version: 2c, community: recovery-checks }`, `
  - { name: acc, address: 127.0.0.1, port: ${silent.address().port}, credentials: lab, interval: 1s, icmp: false, profiles: [system] }`, logLines));
}, 60_000);

afterAll(async () => {
  await stop?.();
  silent?.close();
});

describe('device checks handed to the alert manager', () => {
  it('with re-evaluations deferred and no grace running, a device\'s check still reaches devicePolled', async () => {
    const alerts = rt!.alerts;
    const polled: string[] = [];
    const devicePolled = alerts.devicePolled.bind(alerts);
    alerts.devicePolled = (device, at) => {
      polled.push(device);
      return devicePolled(device, at);
    };
    // a key waiting for its slice, no grace running (what a first slice all under maintenance leaves)
    Object.defineProperty(alerts, 'deferredCount', { get: () => 1, configurable: true });
    expect(alerts.recoveringCount).toBe(0);
    await until('a check of acc handed on', () => polled.includes('acc'));
    // nothing waits and no grace runs: the checks are not handed on
    Object.defineProperty(alerts, 'deferredCount', { get: () => 0, configurable: true });
    await new Promise((r) => setTimeout(r, 300));
    polled.length = 0;
    const pollsBefore = rt!.poller.registry.get('acc')!.pollsDone;
    await until('two more checks of acc', () => rt!.poller.registry.get('acc')!.pollsDone >= pollsBefore + 2);
    expect(polled).toEqual([]);
  }, 60_000);
});
