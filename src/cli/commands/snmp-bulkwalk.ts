import { runSnmpCommand } from '../../snmp/cli-run.ts';

/** netpulse bulkwalk: see `netpulse bulkwalk --help` and src/snmp/README.md. */
export function run(argv: string[]): Promise<number> {
  return runSnmpCommand('bulkwalk', argv);
}
