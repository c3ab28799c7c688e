import { parseArgs } from 'node:util';
import { ConfigError } from '../../errors/index.ts';
import { configPath, formatConfigError, loadConfig } from '../../config/load.ts';
import type { NetpulseConfig } from '../../config/types.ts';

const USAGE = `usage: netpulse config check [--config] FILE
  validates FILE (or $NETPULSE_CONFIG) and prints a summary, warnings (accepted, but likely not meant) to stderr;
  exit status 2 when it has problems`;

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === '-h' || sub === '--help') {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (sub !== 'check') {
    process.stderr.write(`netpulse config: ${sub ? `unknown subcommand "${sub}"` : 'missing subcommand'}\n${USAGE}\n`);
    return 2;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: rest, allowPositionals: true, options: { config: { type: 'string', short: 'c' } } });
  } catch (err) {
    process.stderr.write(`netpulse config check: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1 || (positionals.length && values.config)) {
    process.stderr.write(`netpulse config check: give one config file\n${USAGE}\n`);
    return 2;
  }
  const file = configPath(values.config ?? positionals[0]);
  if (!file) {
    process.stderr.write(`netpulse config check: no config file: give FILE, --config FILE or set NETPULSE_CONFIG\n`);
    return 2;
  }
  try {
    const config = loadConfig(file);
    for (const w of config.warnings) process.stderr.write(`warning: ${w}\n`);
    process.stdout.write(summary(config));
    return 0;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(formatConfigError(err));
    return 2;
  }
}

export function summary(c: NetpulseConfig): string {
  const byVersion: Record<string, number> = { v1: 0, v2c: 0, v3: 0 };
  for (const d of c.devices) byVersion[`v${d.credential.version}`]++;
  const profileUse = new Map<string, number>();
  for (const d of c.devices) for (const p of d.profiles) profileUse.set(p, (profileUse.get(p) ?? 0) + 1);
  const lines = [
    `config ${c.file}: OK${c.warnings.length ? ` (${c.warnings.length} warning${c.warnings.length === 1 ? '' : 's'})` : ''}`,
    `devices: ${c.devices.length} (v1 ${byVersion.v1}, v2c ${byVersion.v2c}, v3 ${byVersion.v3}; icmp on ${c.devices.filter((d) => d.icmp).length})`,
    `credential profiles: ${Object.keys(c.credentials).length}${Object.keys(c.credentials).length ? ` (${Object.keys(c.credentials).join(', ')})` : ''}`,
    `poll profiles in use: ${[...profileUse].map(([p, n]) => `${p} ${n}`).join(', ') || 'none'}`,
    `user poll profiles: ${Object.keys(c.profiles).join(', ') || 'none'}`,
    `storage: ${[c.storage.influx ? `influx ${new URL(c.storage.influx.url).host} db ${c.storage.influx.database}` : '', c.storage.sqlite ? `sqlite in ${c.dataDir}` : ''].filter(Boolean).join(' + ') || 'none'}`,
    `traps: ${c.traps ? `listen ${c.traps.listen.host}:${c.traps.listen.port}` : 'off'}`,
    `api: listen ${c.api.listen.host}:${c.api.listen.port}`,
    `topology: ${c.topology ? `schedule "${c.topology.schedule}"` : 'off'}`,
  ];
  return lines.join('\n') + '\n';
}
