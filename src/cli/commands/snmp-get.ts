import { runSnmpCommand } from '../../snmp/cli-run.ts';

/** netpulse get: see `netpulse get --help` and src/snmp/README.md. */
export function run(argv: string[]): Promise<number> {
  return runSnmpCommand('get', argv);
}
