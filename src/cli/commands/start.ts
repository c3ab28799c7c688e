import { parseArgs } from 'node:util';
import { loadConfig, configPath, formatConfigError, type NetpulseConfig } from '../../config/index.ts';
import { ConfigError, errorMessage } from '../../errors/index.ts';
import { runUntilSignal } from '../../main/run.ts';

const USAGE = `usage: netpulse start --config FILE
  -c, --config FILE   config file (default: $NETPULSE_CONFIG)
Runs the scheduler, storage, trap receiver, topology and API until SIGINT/SIGTERM; a second signal exits at once.
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

  return runUntilSignal(config);
}
