/**
 * netpulse command line. Each subcommand lives in ./commands/<name>.ts and exports
 * `run(argv: string[]): Promise<number>` (the exit status). `service`: a command that runs for
 * long, with the heap policy of heap-policy.ts.
 */
import { useServiceHeapPolicy } from './heap-policy.ts';

const COMMANDS: Record<string, { file: string; summary: string; service?: true }> = {
  get: { file: 'snmp-get.ts', summary: 'SNMP GET, like snmpget' },
  walk: { file: 'snmp-walk.ts', summary: 'SNMP walk with GETNEXT, like snmpwalk' },
  bulkwalk: { file: 'snmp-bulkwalk.ts', summary: 'SNMP walk with GETBULK, like snmpbulkwalk' },
  ping: { file: 'ping.ts', summary: 'ICMP check: RTT min/avg/max, loss, jitter' },
  poll: { file: 'poll.ts', summary: 'poll every configured device (--once)', service: true },
  start: { file: 'start.ts', summary: 'run the scheduler, storage, traps and API until stopped', service: true },
  config: { file: 'config.ts', summary: 'validate a config file (config check FILE)' },
  lab: { file: 'lab.ts', summary: 'start a simulated network of SNMP devices', service: true },
  demo: { file: 'demo.ts', summary: 'the lab plus netpulse on the embedded store, API and UI', service: true },
  mib: { file: 'mib.ts', summary: 'compile MIB modules (mib compile DIR...)' },
  oid: { file: 'oid.ts', summary: 'OID dictionary: oid search|show|list' },
  trap: { file: 'trap.ts', summary: 'trap listen: print traps as they arrive', service: true },
  discover: { file: 'discover.ts', summary: 'run one topology discovery and print the graph' },
};

function usage(): string {
  const lines = ['usage: netpulse <command> [options]', '', 'commands:'];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(10)} ${c.summary}`);
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '-h' || cmd === '--help' || cmd === 'help') {
    process.stdout.write(usage() + '\n');
    return cmd ? 0 : 1;
  }
  const entry = COMMANDS[cmd];
  if (!entry) {
    process.stderr.write(`netpulse: unknown command "${cmd}"\n${usage()}\n`);
    return 1;
  }
  if (entry.service) useServiceHeapPolicy();
  let mod: { run(argv: string[]): Promise<number> };
  try {
    // a relative specifier: the build rewrites its .ts to .js
    mod = await import(`./commands/${entry.file}`);
  } catch (err) {
    process.stderr.write(`netpulse: command "${cmd}" is not available: ${(err as Error).message}\n`);
    return 1;
  }
  return mod.run(rest);
}
