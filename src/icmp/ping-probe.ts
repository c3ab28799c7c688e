import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { isIPv6 } from 'node:net';
import { platform } from 'node:os';
import { ENGINE_SPAWN } from './children.ts';

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

export interface PingProbeOptions {
  /** the child is SIGKILLed when it has not ended by then (a ping that hangs holds its check forever); none: no limit */
  deadlineMs?: number;
}

/**
 * One system `ping` for one address, with the arguments and output parsing of
 * ping.promise.probe(); in the C locale (LC_ALL, which outranks the LANG=C the package sets, and
 * LANG) for the child only (the package sets LANG in process.env).
 */
export function startPingProbe(address: string, cfg: PingProbeConfig, opts: PingProbeOptions = {}): RunningProbe {
  const os = platform();
  const config = { ...cfg, v6: isIPv6(address) };
  const path = builders.getExecutablePath(os, config.v6);
  const args = builders.createBuilder(os).getCommandArguments(address, config);
  const child = spawn(path, args, { ...ENGINE_SPAWN, shell: false, env: { ...process.env, LANG: 'C', LC_ALL: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const outcome = new Promise<ProbeOutcome>((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const finish = (o: ProbeOutcome) => {
      clearTimeout(timer);
      resolve(o);
    };
    child.once('error', (err: NodeJS.ErrnoException) => {
      finish({ error: err.code === 'ENOENT' ? `${path} not found (apt-get install iputils-ping)` : `${path}: ${err.message}` });
    });
    if (opts.deadlineMs !== undefined) {
      const ms = opts.deadlineMs;
      timer = setTimeout(() => {
        const late = () => finish({ error: `no result within ${ms} ms (killed)` });
        // answered once it is gone, by 'exit': a pipe a grandchild holds keeps 'close' away
        if (child.exitCode !== null || child.signalCode !== null) return late();
        child.once('exit', late);
        child.kill('SIGKILL');
      }, ms);
    }
    const out: string[] = [];
    child.stdout!.on('data', (d: Buffer) => out.push(d.toString('utf8')));
    child.stderr!.on('data', (d: Buffer) => out.push(d.toString('utf8')));
    child.once('close', (_code, signal) => {
      if (signal) return finish({ error: `killed by ${signal}`, signal });
      finish(parse(address, os, config, out.join('')));
    });
  });
  return { child, outcome };
}

/** the package's parser, which throws on lines it does not expect (it indexes regex matches and tokens unchecked) */
function parse(address: string, os: string, config: object, output: string): ProbeOutcome {
  try {
    const parser = parsers.createParser(address, os, config);
    for (const line of output.split('\n')) parser.eat(line);
    return { ok: parser.getResult() };
  } catch (err) {
    const first = output.trim().split('\n')[0] ?? '';
    return { error: `output not understood (${err instanceof Error ? err.message : String(err)}): ${first || 'no output'}` };
  }
}
