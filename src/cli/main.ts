/**
 * netpulse command line. Each subcommand lives in ./commands/<name>.ts and exports
 * `run(argv: string[]): Promise<number>` (the exit status). `heap`: the garbage-collection policy
 * of heap-policy.ts the command runs with (a service runs for long, a compile is a batch).
 */
import { useHeapPolicy, type HeapPolicy } from './heap-policy.ts';

const COMMANDS: Record<string, { file: string; summary: string; heap?: HeapPolicy }> = {
  get: { file: 'snmp-get.ts', summary: 'SNMP GET, like snmpget' },
  walk: { file: 'snmp-walk.ts', summary: 'SNMP walk with GETNEXT, like snmpwalk' },
  bulkwalk: { file: 'snmp-bulkwalk.ts', summary: 'SNMP walk with GETBULK, like snmpbulkwalk' },
  ping: { file: 'ping.ts', summary: 'ICMP check: RTT min/avg/max, loss, jitter' },
  poll: { file: 'poll.ts', summary: 'poll every configured device (--once)', heap: 'service' },
  start: { file: 'start.ts', summary: 'run the scheduler, storage, traps and API until stopped', heap: 'service' },
  config: { file: 'config.ts', summary: 'validate a config file (config check FILE)' },
  lab: { file: 'lab.ts', summary: 'start a simulated network of SNMP devices', heap: 'service' },
  demo: { file: 'demo.ts', summary: 'the lab plus netpulse on the embedded store, API and UI', heap: 'service' },
  mib: { file: 'mib.ts', summary: 'compile MIB modules (mib compile DIR...)', heap: 'compile' },
  oid: { file: 'oid.ts', summary: 'OID dictionary: oid search|show|list' },
  trap: { file: 'trap.ts', summary: 'trap listen: print traps as they arrive', heap: 'service' },
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
  if (entry.heap) useHeapPolicy(entry.heap);
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
