import { lookUpNamesInHelper } from '../../icmp/resolve.ts';
import { runSnmpCommand } from '../../snmp/cli-run.ts';

/** netpulse get: see `netpulse get --help` and src/snmp/README.md. */
export function run(argv: string[]): Promise<number> {
  // a name lookup hanging on a dead DNS must not hold the exit (Node joins libuv's threads)
  lookUpNamesInHelper();
  return runSnmpCommand('get', argv);
}
