import { runSnmpCommand } from '../../snmp/cli-run.ts';

/** netpulse walk: see `netpulse walk --help` and src/snmp/README.md. */
export function run(argv: string[]): Promise<number> {
  return runSnmpCommand('walk', argv);
}
