/**
 * A REAL snmpd bound to a given loopback address and port (test/peers/snmpd.ts binds 127.0.0.1
 * only): sweeps and crawls need several agents on 127.0.0.x sharing one port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SNMPD_BIN, snmpdConfig, type SnmpdOptions } from '../peers/snmpd.ts';
import { createSnmpClient } from '../../src/snmp/index.ts';
import type { Credential } from '../../src/model/credentials.ts';

export interface AgentAt {
  address: string;
  port: number;
  output(): string;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** `ready`: a credential the agent answers, used to wait until it is up */
export async function startSnmpdAt(address: string, port: number, opts: SnmpdOptions, ready: Credential): Promise<AgentAt> {
  if (!/^127\./.test(address)) throw new Error(`test agents bind loopback only, got ${address}`);
  if (!existsSync(SNMPD_BIN)) throw new Error(`${SNMPD_BIN} is missing: install the Net-SNMP agent (apt-get install -y snmpd)`);
  const dir = await mkdtemp(join(tmpdir(), 'netpulse-snmpd-at-'));
  const config = snmpdConfig(port, opts).replace(/^agentAddress .*$/m, `agentAddress udp:${address}:${port}`);
  const confFile = join(dir, 'snmpd.conf');
  await writeFile(confFile, config, { mode: 0o600 });
  const persistent = join(dir, 'persist');
  const child = spawn(SNMPD_BIN, ['-f', '-Lo', '-C', '-c', confFile, `--persistentDir=${persistent}`, '-p', join(dir, 'snmpd.pid')], {
    env: { ...process.env, SNMP_PERSISTENT_DIR: persistent, MIBS: '', MIBDIRS: join(dir, 'no-mibs') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => { exited = true; running.delete(child); resolve(); }));
  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exit;
      clearTimeout(t);
    }
    await rm(dir, { recursive: true, force: true });
  };
  // ready once it answers sysName with the credential it is meant to answer
  const client = createSnmpClient({ maxConcurrency: 1 });
  try {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && !exited) {
      try {
        await client.get({ address, port, credential: ready, timeoutMs: 300, retries: 0, maxRepetitions: 10 }, ['1.3.6.1.2.1.1.5.0']);
        return { address, port, output: () => output, stop };
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  } finally {
    await client.close();
  }
  await stop();
  throw new Error(`snmpd on ${address}:${port} ${exited ? 'exited' : 'did not answer'} during start-up; its output:\n${output}`);
}
