/** The body of `netpulse get|walk|bulkwalk`: Net-SNMP habits, output like `snmpwalk -On`. */
import { errorMessage } from '../errors/index.ts';
import { createSnmpClient } from './client.ts';
import { checkCredentialSupported } from './credentials.ts';
import { parseSnmpCommandLine, USAGE, UsageError } from './cli-options.ts';
import { formatVarbind, numericOid, type OidFormatter } from './format.ts';
import type { Varbind } from './types.ts';

export type SnmpCommand = 'get' | 'walk' | 'bulkwalk';

export interface SnmpCommandDeps {
  /** prints OIDs symbolically (`SNMPv2-MIB::sysName.0`) unless -On; numeric by default until the OID dictionary plugs in */
  formatOid?: OidFormatter;
  out?: (text: string) => void;
  err?: (text: string) => void;
}

const MIB2 = '1.3.6.1.2.1';

export async function runSnmpCommand(cmd: SnmpCommand, argv: string[], deps: SnmpCommandDeps = {}): Promise<number> {
  const out = deps.out ?? ((t: string) => process.stdout.write(t));
  const err = deps.err ?? ((t: string) => process.stderr.write(t));
  if (argv.includes('-h') || argv.includes('--help')) {
    out(`usage: netpulse ${cmd} ${USAGE}\n`);
    return 0;
  }
  let parsed;
  try {
    parsed = parseSnmpCommandLine(argv);
    if (cmd === 'get' && parsed.oids.length === 0) throw new UsageError('get needs at least one OID');
    if (cmd === 'bulkwalk' && parsed.target.credential.version === '1') throw new UsageError('bulkwalk needs -v 2c or -v 3 (GETBULK does not exist in SNMPv1)');
    checkCredentialSupported(parsed.target.credential);
  } catch (e) {
    err(`netpulse ${cmd}: ${errorMessage(e)}\nusage: netpulse ${cmd} ${USAGE}\n`);
    return 2;
  }
  const formatOid = parsed.numeric ? numericOid : (deps.formatOid ?? numericOid);
  const print = (vbs: Varbind[]) => {
    if (vbs.length > 0) out(vbs.map((vb) => formatVarbind(vb, formatOid)).join('\n') + '\n');
  };
  const client = createSnmpClient({ maxConcurrency: 1, maxSockets: 1 });
  try {
    const { target, oids } = parsed;
    if (cmd === 'get') {
      print(await client.get(target, oids));
      return 0;
    }
    for (const root of oids.length > 0 ? oids : [MIB2]) {
      const vbs = await client.walk(target, root, { useGetNext: cmd === 'walk' });
      // like snmpwalk: an empty subtree means the OID itself may be an instance
      print(vbs.length > 0 ? vbs : await client.get(target, [root]));
    }
    return 0;
  } catch (e) {
    err(`netpulse ${cmd}: ${errorMessage(e)}\n`);
    return 1;
  } finally {
    await client.close();
  }
}
