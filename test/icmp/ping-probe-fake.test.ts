/**
 * The fallback engine's own ping child (ping-probe.ts) against fake `ping` programs first in PATH
 * (the package's executable is `ping`/`ping6`, looked up in PATH): the child's locale, output the
 * package's parser cannot read, a ping that never ends.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PingPackageChecker } from '../../src/icmp/ping-checker.ts';
import { startPingProbe } from '../../src/icmp/ping-probe.ts';
import { pingChildrenOf } from './fping-procs.ts';

const bin = mkdtempSync(join(tmpdir(), 'netpulse-fake-ping-'));
afterAll(() => rmSync(bin, { recursive: true, force: true }));
const saved = { ...process.env };
beforeEach(() => { process.env.PATH = `${bin}:${saved.PATH}`; });
afterEach(() => {
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  Object.assign(process.env, saved);
});

/** `ping` and `ping6` in the fake bin folder run this shell script */
function fakePing(script: string): void {
  for (const name of ['ping', 'ping6']) {
    writeFileSync(join(bin, name), `#!/bin/sh\n${script}\n`);
    chmodSync(join(bin, name), 0o755);
  }
}

const CFG = { min_reply: 1, timeout: 1, extra: ['-i', '0.2'] };

describe('the ping fallback child', () => {
  it('runs in the C locale whatever locale the service has (LC_ALL and LC_* outrank LANG)', { timeout: 10_000 }, async () => {
    Object.assign(process.env, { LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8', LC_MESSAGES: 'de_DE.UTF-8', LC_NUMERIC: 'de_DE.UTF-8' });
    fakePing('echo "PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data."; echo "locale: LANG $LANG, LC_ALL $LC_ALL, LC_MESSAGES $LC_MESSAGES, LC_NUMERIC $LC_NUMERIC"');
    const { outcome } = startPingProbe('127.0.0.1', CFG);
    const res = await outcome;
    expect('ok' in res && res.ok.output).toMatch(/^locale: LANG C, LC_ALL C,/m);
  });

  it('a line of three or more "=" without a time in ms (the parser takes it for a reply) answers an error, nothing thrown out of the child\'s event', { timeout: 10_000 }, async () => {
    fakePing('echo "PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data."; echo "x=1 y=2 z=3"');
    const r = (await new PingPackageChecker().check(['127.0.0.1'], { count: 1 })).get('127.0.0.1')!;
    expect(r).toMatchObject({ up: false, received: 0 });
    expect(r.error).toMatch(/^icmp: host 127\.0\.0\.1: ping: output not understood \(.+\): PING 127\.0\.0\.1/);
  });

  it('output the parser cannot read answers an error for its host, it does not throw out of the child\'s event', { timeout: 10_000 }, async () => {
    // the package's Linux parser splits the first line into the host's name and address
    fakePing('echo "garbled"');
    const checker = new PingPackageChecker();
    const r = (await checker.check(['127.0.0.1'], { count: 1 })).get('127.0.0.1')!;
    expect(r).toMatchObject({ up: false, received: 0 });
    expect(r.error).toMatch(/^icmp: host 127\.0\.0\.1: ping: output not understood \(.+\): garbled$/);
  });

  it('a ping that never ends is killed at its deadline and answers an error, no child left', { timeout: 20_000 }, async () => {
    fakePing('exec sleep 60');
    const { child, outcome } = startPingProbe('127.0.0.1', CFG, { deadlineMs: 300 });
    const res = await outcome;
    expect(res).toEqual({ error: 'no result within 300 ms (killed)' });
    expect(child.signalCode ?? child.exitCode).not.toBeNull();
    expect(pingChildrenOf(process.pid)).toEqual([]);
  });

  it('the checker gives each probe a deadline from count, period and timeout', { timeout: 30_000 }, async () => {
    fakePing('exec sleep 60');
    const checker = new PingPackageChecker();
    // 1 probe, 0.2 s apart, 1 s reply timeout: killed 10 s after those
    const r = (await checker.check(['127.0.0.1'], { count: 1, periodMs: 200, timeoutMs: 1000 })).get('127.0.0.1')!;
    expect(r.error).toBe('icmp: host 127.0.0.1: ping: no result within 11200 ms (killed)');
    expect(pingChildrenOf(process.pid)).toEqual([]);
  });
});
