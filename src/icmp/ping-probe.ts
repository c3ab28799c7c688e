import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { isIPv6 } from 'node:net';
import { platform } from 'node:os';

/** What the `ping` 0.4 package reports for one host (the fields we use). */
export interface PingPackageResponse {
  alive: boolean;
  times: number[];
  packetLoss: string;
  output: string;
}

/** the `ping` package's probe options we set (its PingConfig) */
export interface PingProbeConfig {
  min_reply: number;
  /** seconds */
  timeout: number;
  extra: string[];
}

interface ArgsBuilder { getCommandArguments(target: string, config: object): string[] }
interface BuilderFactory { createBuilder(platform: string): ArgsBuilder; getExecutablePath(platform: string, v6: boolean): string }
interface OutputParser { eat(line: string): void; getResult(): PingPackageResponse }
interface ParserFactory { createParser(addr: string, platform: string, config: object): OutputParser }

// The package's own argument builder and output parser: ping.promise.probe() spawns the system
// ping but hands out no handle to the child, which close() must be able to end.
const require = createRequire(import.meta.url);
const builders = require('ping/lib/builder/factory') as BuilderFactory;
const parsers = require('ping/lib/parser/factory') as ParserFactory;

export type ProbeOutcome = { ok: PingPackageResponse } | { error: string; signal?: NodeJS.Signals };

export interface RunningProbe {
  child: ChildProcess;
  outcome: Promise<ProbeOutcome>;
}

/**
 * One system `ping` for one address, with the arguments and output parsing of
 * ping.promise.probe(); LANG=C for the child only (the package sets it in process.env).
 */
export function startPingProbe(address: string, cfg: PingProbeConfig): RunningProbe {
  const os = platform();
  const config = { ...cfg, v6: isIPv6(address) };
  const path = builders.getExecutablePath(os, config.v6);
  const args = builders.createBuilder(os).getCommandArguments(address, config);
  const child = spawn(path, args, { shell: false, env: { ...process.env, LANG: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const outcome = new Promise<ProbeOutcome>((resolve) => {
    const out: string[] = [];
    child.stdout!.on('data', (d: Buffer) => out.push(d.toString('utf8')));
    child.stderr!.on('data', (d: Buffer) => out.push(d.toString('utf8')));
    child.once('error', (err: NodeJS.ErrnoException) => {
      resolve({ error: err.code === 'ENOENT' ? `${path} not found (apt-get install iputils-ping)` : `${path}: ${err.message}` });
    });
    child.once('close', (_code, signal) => {
      if (signal) return resolve({ error: `killed by ${signal}`, signal });
      const parser = parsers.createParser(address, os, config);
      for (const line of out.join('').split('\n')) parser.eat(line);
      resolve({ ok: parser.getResult() });
    });
  });
  return { child, outcome };
}
