/**
 * A stop that signals the whole process group (systemd's default KillMode=control-group sends
 * SIGTERM to every process of the unit at once, a terminal's Ctrl-C sends SIGINT to the
 * foreground group) ends the engine's children before netpulse closes its checker: such a probe
 * says nothing about its hosts (cancelled, no down sample), whichever engine. Fake engines that
 * signal themselves stand in for the stop.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FpingChecker } from '../../src/icmp/fping-checker.ts';
import { PingPackageChecker } from '../../src/icmp/ping-checker.ts';

const bin = mkdtempSync(join(tmpdir(), 'netpulse-stop-signal-'));
afterAll(() => rmSync(bin, { recursive: true, force: true }));
const savedPath = process.env.PATH;
beforeEach(() => { process.env.PATH = `${bin}:${savedPath}`; });
afterEach(() => { process.env.PATH = savedPath; });

function fake(name: string, script: string): string {
  const file = join(bin, name);
  writeFileSync(file, `#!/bin/sh\n${script}\n`);
  chmodSync(file, 0o755);
  return file;
}

describe('an engine child ended by a stop signal not sent by netpulse', () => {
  for (const signal of ['TERM', 'INT', 'HUP']) {
    it(`ping fallback, SIG${signal}: the host is cancelled, not down`, async () => {
      for (const name of ['ping', 'ping6']) fake(name, `kill -${signal} $$`);
      const r = (await new PingPackageChecker().check(['127.0.0.1'], { count: 1 })).get('127.0.0.1')!;
      expect(r).toMatchObject({ cancelled: true, sent: 0, received: 0 });
      expect(r.error).toBe(`icmp: host 127.0.0.1: ping: cancelled (killed by SIG${signal}, not by netpulse: a stop of its process group)`);
    });

    it(`fping, SIG${signal}: the batch's hosts are cancelled, not down`, async () => {
      const path = fake('fping', `kill -${signal} $$`);
      const results = await new FpingChecker({ path }).check(['127.0.0.1', '127.0.0.2'], { count: 1 });
      for (const host of ['127.0.0.1', '127.0.0.2']) {
        expect(results.get(host)).toMatchObject({ cancelled: true, sent: 0 });
        expect(results.get(host)!.error).toBe(`icmp: host ${host}: fping: killed by SIG${signal} (not by netpulse: a stop of its process group)`);
      }
    });
  }

  it('a child that dies of another signal (a crash) is still an engine failure', async () => {
    for (const name of ['ping', 'ping6']) fake(name, 'kill -SEGV $$');
    const r = (await new PingPackageChecker().check(['127.0.0.1'], { count: 1 })).get('127.0.0.1')!;
    expect(r.cancelled).toBeUndefined();
    expect(r.error).toBe('icmp: host 127.0.0.1: ping: killed by SIGSEGV');
  });
});
