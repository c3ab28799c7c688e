import { parseArgs } from 'node:util';
import { loadConfigForCommand } from '../config-args.ts';
import { runUntilSignal } from '../../main/run.ts';

const USAGE = `usage: netpulse start --config FILE
  -c, --config FILE   config file (default: $NETPULSE_CONFIG)
Runs the scheduler, storage, trap receiver, topology and API until SIGINT or SIGTERM (a clean
stop; a second signal exits at once). SIGHUP reloads the config file: devices, credentials, trap
rules and maintenance windows change live; an invalid file is logged and the running config kept;
settings that need a restart are logged as such.
exit status: 0 after a clean stop, 2 on config or usage errors`;

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
  const loaded = loadConfigForCommand('start', values.config);
  if ('exitCode' in loaded) return loaded.exitCode;
  return runUntilSignal(loaded.config, { reloadOnHangup: true });
}
