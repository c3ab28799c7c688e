import { parseArgs } from 'node:util';
import { loadConfig, configPath, formatConfigError, type NetpulseConfig } from '../../config/index.ts';
import { ConfigError, errorMessage } from '../../errors/index.ts';
import type { SampleSink } from '../../model/sample.ts';
import { createPollerRuntime } from '../../poller/runtime.ts';
import { SummarySink } from '../../poller/summary-sink.ts';
import { CronRegistry } from '../../poller/cron.ts';

const USAGE = `usage: netpulse start --config FILE
  -c, --config FILE   config file (default: $NETPULSE_CONFIG)
Runs the poll scheduler until SIGINT/SIGTERM; a second signal exits at once.
exit status: 0 after a clean stop, 2 on config or usage errors`;

function log(line: string): void {
  process.stderr.write(`${new Date().toISOString()} ${line}\n`);
}

/**
 * The sink every producer writes to. PLACEHOLDER until storage is wired in: it logs a one-line
 * summary per poll interval. The lead replaces this one function with the storage factory.
 */
export function createSinkFromConfig(config: NetpulseConfig): SampleSink & { close(): void | Promise<void> } {
  return new SummarySink(log, config.defaults.intervalMs);
}

export async function run(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { config: { type: 'string', short: 'c' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (err) {
    process.stderr.write(`netpulse start: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const file = configPath(values.config);
  if (!file) {
    process.stderr.write('netpulse start: no config file: use --config FILE or set NETPULSE_CONFIG\n');
    return 2;
  }
  let config: NetpulseConfig;
  try {
    config = loadConfig(file);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(formatConfigError(err));
      return 2;
    }
    throw err;
  }

  const sink = createSinkFromConfig(config);
  const runtime = await createPollerRuntime(config, sink, { log });
  for (const p of runtime.profileProblems) log(`poller: warning: ${p}`);
  const { poller } = runtime;
  poller.registry.on('change', (c) => {
    if (c.from === 'unknown' && c.to === 'up') return;
    log(`device ${c.device} (${c.address}, SNMP v${c.version}): ${c.from} -> ${c.to}${c.error ? `: ${c.error}` : ''}`);
  });
  const cron = new CronRegistry(log);
  cron.add('poller-metrics', '*/5 * * * *', () => {
    const m = poller.metrics();
    log(`poller: ${m.jobs} jobs, ${m.pollsDone} polls done, ${m.pollsFailed} failed, ${m.missedPolls} missed, queue ${m.queueDepth}, in flight ${m.inFlight}, poll p95 ${m.pollDurationMs.p95.toFixed(0)} ms, event-loop delay p99 ${m.eventLoopDelayMs.p99.toFixed(1)} ms`);
  });

  poller.setDevices(config.devices);
  poller.start();
  log(`netpulse: polling ${config.devices.length} devices (${file}); Ctrl-C to stop`);

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  log(`netpulse: ${signal}: stopping (polls in flight get 3 s to finish; signal again to exit at once)`);
  const again = () => {
    log('netpulse: second signal: exiting now');
    process.exit(1);
  };
  process.once('SIGINT', again);
  process.once('SIGTERM', again);
  try {
    await cron.stop();
    await runtime.close(3000);
    await sink.close();
  } catch (err) {
    log(`netpulse: while stopping: ${errorMessage(err)}`);
  }
  process.removeListener('SIGINT', again);
  process.removeListener('SIGTERM', again);
  log('netpulse: stopped');
  // a handle some library left open must not keep a stopped netpulse alive
  setTimeout(() => process.exit(0), 2000).unref();
  return 0;
}
