import { parseArgs } from 'node:util';
import { RELOAD_SIGNAL, STOP_TIMEOUT_MS } from '../../main/stop-signals.ts';

const USAGE = `usage: netpulse start --config FILE
  -c, --config FILE   config file (default: $NETPULSE_CONFIG)
Runs the scheduler, storage, trap receiver, topology and API until SIGINT or SIGTERM (a clean
stop, given ${STOP_TIMEOUT_MS / 1000} s, longer with a storage.influx.timeout over 10 s; a second signal exits at once). SIGHUP reloads the config file:
devices, credentials, trap rules, maintenance windows, poll profiles and notifications change
live; an invalid file is logged and the running config kept; settings that need a restart are
logged as such.
exit status: 0 after a clean stop, 1 when it failed to start or the stop was cut short, 2 on
config or usage errors. When a lookup or file call the system never answers is still pending
once the stores are closed, netpulse ends by the stop signal itself (SIGKILL if the stop was cut
short): a normal exit would wait for that call`;

/**
 * SIGHUP's default action ends the process, so the command listens from before it loads
 * anything to the process's exit: one that arrives while the runtime's modules load and the file is read is
 * remembered (netpulse reloads once up), one during runUntilSignal is left to its listener, one
 * after it returned is logged and ignored.
 */
function holdHangups(): { pending: () => boolean; phase: (p: 'running' | 'done') => void } {
  let phase: 'starting' | 'running' | 'done' = 'starting';
  let pending = false;
  process.on(RELOAD_SIGNAL, () => {
    if (phase === 'starting') pending = true;
    else if (phase === 'done') process.stderr.write(`${new Date().toISOString()} netpulse: ${RELOAD_SIGNAL}: stopped already; no config reload\n`);
  });
  return { pending: () => pending, phase: (p) => void (phase = p) };
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
  const hangups = holdHangups();
  // loaded after the listener: importing the runtime takes most of start-up
  const { loadConfigForCommand } = await import('../config-args.ts');
  const loaded = loadConfigForCommand('start', values.config);
  if ('exitCode' in loaded) return loaded.exitCode;
  const { runUntilSignal } = await import('../../main/run.ts');
  hangups.phase('running');
  try {
    return await runUntilSignal(loaded.config, { reloadOnHangup: true, reloadWhenUp: hangups.pending(), exitWhenStopped: true });
  } finally {
    hangups.phase('done');
  }
}
