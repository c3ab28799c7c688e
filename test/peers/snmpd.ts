/**
 * Starts a REAL Net-SNMP agent (/usr/sbin/snmpd) on 127.0.0.1 (or another 127.x.y.z given as
 * `address`) and a free UDP port (or the given `port`, so several agents can share one), with
 * a generated config, its own persistent dir (so createUser works) and VACM so that only
 * the requested SNMP versions get answers. Resolves once the agent answers.
 *
 *   const agent = await startSnmpd({ versions: ['2c'], community: 'lab', sysName: 'sw1' });
 *   ... target { address: agent.address, port: agent.port } ...
 *   await agent.stop();
 *
 * Documented in src/snmp/README.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import snmp from 'net-snmp';

export const SNMPD_BIN = '/usr/sbin/snmpd';

export type SnmpdAuth = 'MD5' | 'SHA' | 'SHA-224' | 'SHA-256' | 'SHA-384' | 'SHA-512';
/** Debian's snmpd 5.9.3 has DES, AES (128), AES-256 (Blumenthal) and AES-256-C (Reeder); AES-192 too. */
export type SnmpdPriv = 'DES' | 'AES' | 'AES-192' | 'AES-256' | 'AES-192-C' | 'AES-256-C';

export interface SnmpdUser {
  name: string;
  authProtocol?: SnmpdAuth;
  authKey?: string;
  privProtocol?: SnmpdPriv;
  privKey?: string;
  /** minimum level the user may read at; default from what keys are given */
  level?: 'noAuthNoPriv' | 'authNoPriv' | 'authPriv';
}

export interface SnmpdOptions {
  /** loopback address to bind, any 127.x.y.z; default '127.0.0.1' */
  address?: string;
  /** UDP port to bind; default a free one. Agents on different addresses may share a port (sweeps, crawls). */
  port?: number;
  /** versions answered; default ['1', '2c'] plus '3' when users are given. Others get silence. */
  versions?: Array<'1' | '2c' | '3'>;
  /** community for v1/v2c; default 'public' */
  community?: string;
  users?: SnmpdUser[];
  sysName?: string;
  sysLocation?: string;
  sysContact?: string;
  sysDescr?: string;
  /** e.g. '.1.3.6.1.4.1.9.1.1208' */
  sysObjectID?: string;
  /** subtrees left out of the view every version reads, e.g. process tables that change while a test runs */
  viewExcludes?: string[];
  /** raw snmpd.conf lines, e.g. `override .1.0.8802.1.1.2.1.4.1.1.9.0.1.1 octet_str "sw2"` */
  extraConfig?: string[];
  /** how long to wait for the agent to answer; default 10 s */
  startTimeoutMs?: number;
}

export interface SnmpdHandle {
  address: string;
  port: number;
  community: string;
  /** the generated snmpd.conf text (no secrets beyond the test's own) */
  config: string;
  pid: number;
  /** what snmpd printed so far (for failure messages) */
  output(): string;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export async function freeUdpPort(address = '127.0.0.1'): Promise<number> {
  const sock = dgram.createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    sock.once('error', reject);
    sock.bind(0, address, () => resolve());
  });
  const { port } = sock.address();
  await new Promise<void>((resolve) => sock.close(() => resolve()));
  return port;
}

function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function snmpdConfig(port: number, opts: SnmpdOptions): string {
  const users = opts.users ?? [];
  const versions = opts.versions ?? (['1', '2c', ...(users.length > 0 ? ['3' as const] : [])] as Array<'1' | '2c' | '3'>);
  const community = opts.community ?? 'public';
  // no "Connection from UDP" line per request: it costs the agent a write per request and
  // whoever reads its output (the test or benchmark process) the parsing
  const lines = [`agentAddress udp:${opts.address ?? '127.0.0.1'}:${port}`, 'dontLogTCPWrappersConnects yes', 'view all included .1'];
  for (const oid of opts.viewExcludes ?? []) lines.push(`view all excluded ${oid}`);
  lines.push('');
  const communityVersions = versions.filter((v) => v !== '3');
  if (communityVersions.length > 0) {
    lines.push(`com2sec npsec default ${community}`);
    for (const v of communityVersions) {
      lines.push(`group npgroup${v} v${v} npsec`, `access npgroup${v} "" v${v} noauth exact all none none`);
    }
  }
  if (versions.includes('3')) {
    for (const u of users) {
      const level = u.level ?? (u.privProtocol ? 'authPriv' : u.authProtocol ? 'authNoPriv' : 'noAuthNoPriv');
      const create = [`createUser ${u.name}`];
      if (u.authProtocol) create.push(u.authProtocol, quote(u.authKey ?? ''));
      if (u.authProtocol && u.privProtocol) create.push(u.privProtocol, quote(u.privKey ?? ''));
      lines.push(create.join(' '));
      lines.push(`rouser ${u.name} ${{ noAuthNoPriv: 'noauth', authNoPriv: 'auth', authPriv: 'priv' }[level]} -V all`);
    }
  }
  lines.push('');
  if (opts.sysName !== undefined) lines.push(`sysName ${opts.sysName}`);
  if (opts.sysLocation !== undefined) lines.push(`sysLocation ${opts.sysLocation}`);
  if (opts.sysContact !== undefined) lines.push(`sysContact ${opts.sysContact}`);
  if (opts.sysDescr !== undefined) lines.push(`sysDescr ${opts.sysDescr}`);
  if (opts.sysObjectID !== undefined) lines.push(`sysObjectID ${opts.sysObjectID}`);
  lines.push(...(opts.extraConfig ?? []));
  return lines.join('\n') + '\n';
}

/** True once the agent answers anything: engine discovery gets a report from every snmpd. */
async function answers(address: string, port: number): Promise<boolean> {
  const session = snmp.createV3Session(address, { name: 'netpulse-probe', level: snmp.SecurityLevel.noAuthNoPriv }, {
    port,
    retries: 0,
    timeout: 300,
    version: snmp.Version3,
  });
  session.on('error', () => {});
  try {
    return await new Promise<boolean>((resolve) => {
      session.get(['1.3.6.1.2.1.1.3.0'], (err) => resolve(!(err instanceof snmp.RequestTimedOutError)));
    });
  } finally {
    session.close();
  }
}

async function startOnce(opts: SnmpdOptions): Promise<SnmpdHandle> {
  const address = opts.address ?? '127.0.0.1';
  const port = opts.port ?? (await freeUdpPort(address));
  const dir = await mkdtemp(join(tmpdir(), 'netpulse-snmpd-'));
  const config = snmpdConfig(port, opts);
  const confFile = join(dir, 'snmpd.conf');
  await writeFile(confFile, config, { mode: 0o600 });
  const persistent = join(dir, 'persist');
  const child = spawn(SNMPD_BIN, ['-f', '-Lo', '-C', '-c', confFile, `--persistentDir=${persistent}`, '-p', join(dir, 'snmpd.pid')], {
    env: { ...process.env, SNMP_PERSISTENT_DIR: persistent, MIBS: '', MIBDIRS: join(dir, 'no-mibs') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  const collect = (d: Buffer) => {
    output += d.toString();
    if (output.length > 131_072) output = output.slice(-65_536);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  let exited = false;
  const exitPromise = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      running.delete(child);
      resolve();
    }),
  );
  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exitPromise;
      clearTimeout(t);
    }
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + (opts.startTimeoutMs ?? 30_000);
  while (Date.now() < deadline) {
    if (exited) break;
    if (await answers(address, port)) {
      return { address, port, community: opts.community ?? 'public', config, pid: child.pid!, output: () => output, stop };
    }
  }
  await stop();
  throw new Error(`snmpd on ${address}:${port} ${exited ? 'exited' : 'did not answer'} during start-up; its output:\n${output}`);
}

export async function startSnmpd(opts: SnmpdOptions = {}): Promise<SnmpdHandle> {
  if (!existsSync(SNMPD_BIN)) {
    throw new Error(`${SNMPD_BIN} is missing: install the Net-SNMP agent (apt-get install -y snmpd, or bash test/ensure-peers.sh)`);
  }
  const address = opts.address ?? '127.0.0.1';
  if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address)) throw new Error(`test agents bind loopback (127.x.y.z) only, got ${address}`);
  if (opts.port !== undefined && (!Number.isInteger(opts.port) || opts.port < 1 || opts.port > 65535)) throw new Error(`snmpd port must be 1..65535, got ${opts.port}`);
  let lastErr: unknown;
  // a free port can be taken by a parallel test between probing and binding: try again (a fixed port will not free itself)
  for (let attempt = 0; attempt < (opts.port === undefined ? 3 : 1); attempt++) {
    try {
      return await startOnce(opts);
    } catch (err) {
      lastErr = err;
    }
  }
  throw lastErr;
}
