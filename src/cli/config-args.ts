/** The config loading every config-taking command shares: --config or NETPULSE_CONFIG, problems to stderr, status 2. */
import { configPath, formatConfigError, loadConfig, type NetpulseConfig } from '../config/index.ts';
import { ConfigError } from '../errors/index.ts';
import type { ResolvedDevice } from '../model/device.ts';

export type Loaded = { config: NetpulseConfig; file: string } | { exitCode: number };

export function loadConfigForCommand(command: string, flag: string | undefined): Loaded {
  const file = configPath(flag);
  if (!file) {
    process.stderr.write(`netpulse ${command}: no config file: use --config FILE or set NETPULSE_CONFIG\n`);
    return { exitCode: 2 };
  }
  try {
    return { config: loadConfig(file), file };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(formatConfigError(err));
    return { exitCode: 2 };
  }
}

/** `--device NAME` (repeatable) narrows the config's devices; an unknown name is the returned problem. */
export function selectDevices(devices: ResolvedDevice[], names: string[] | undefined, file: string): ResolvedDevice[] | string {
  if (!names?.length) return devices;
  const unknown = names.filter((n) => !devices.some((d) => d.name === n));
  if (unknown.length) return `--device: no device ${unknown.map((n) => `"${n}"`).join(', ')} in ${file}`;
  return devices.filter((d) => names.includes(d.name));
}
