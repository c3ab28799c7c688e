/**
 * `netpulse trap listen`: print traps as they arrive, like `snmptrapd -f -Lo`.
 *   netpulse trap listen [-p PORT] [--listen ADDR:PORT]... [-c COMMUNITY]...
 *     [-u USER -l LEVEL -a PROTO -A PASS -x PROTO -X PASS [-e ENGINEID]]... [-M DIRS]... [--json] [--rules]
 */
import { DEFAULT_TRAP_RULES } from '../../alerts/default-rules.ts';
import { RuleSet } from '../../alerts/rules.ts';
import { errorMessage } from '../../errors/index.ts';
import { hostPort, TrapsConfigSchema, type TrapsConfigInput } from '../../traps/config.ts';
import { safeText, trapToJson, trapToText } from '../../traps/format.ts';
import { TrapProcessor } from '../../traps/processor.ts';
import { TrapReceiver } from '../../traps/receiver.ts';
import { formatIssues } from '../../alerts/rule-schema.ts';
import { parseMibArgs, type MibArgs } from '../../mib/cli-options.ts';
import { loadNamesOffThread, type LoadedNames } from '../../traps/names-load.ts';
import { PendingNames } from '../../traps/pending-names.ts';
import { STOP_SIGNALS } from '../../main/stop-signals.ts';
import { flushStdio } from '../../main/flush-stdio.ts';

const USAGE = `usage: netpulse trap listen [options]
  -p PORT              UDP port (default 162; any port works without root)
  --listen ADDR:PORT   listen address, repeatable (default 0.0.0.0:PORT); [::]:PORT for IPv6
  -c COMMUNITY         accept this v1/v2c community, repeatable (default: public)
  -u USER              add a v3 user; the options below apply to the latest -u
    -l LEVEL           noAuthNoPriv | authNoPriv | authPriv
    -a PROTO -A PASS   MD5 | SHA | SHA-224 | SHA-256 | SHA-384 | SHA-512
    -x PROTO -X PASS   DES | AES | AES-256 | AES-256-C
    -e ENGINEID        the sender's engine ID (hex), repeatable; without it, learned
  --json               one JSON object per line
  -M DIRS              MIB directories, repeatable or colon-separated (default: the shipped mibs/);
                       the dictionary is compiled like \`netpulse oid\` does when its cache is missing or stale
  --cache-dir DIR      where the compiled dictionaries are kept (default <data>/mib-cache)
  --no-mib             print numeric OIDs: no MIB dictionary is loaded
  --rules              evaluate the shipped rules and show the severity`;

interface Parsed { cfg: TrapsConfigInput; json: boolean; mib: MibArgs | undefined; rules: boolean }

const HELP = Symbol('help');

/**
 * Like Net-SNMP's getopt: -h/--help where an option may stand asks for the usage; as an option's
 * value (`-c -h`, `-A -h`) it is that value.
 */
function parse(argv: string[]): Parsed | string | typeof HELP {
  let port = 162;
  const listen: string[] = [];
  const communities: string[] = [];
  const users: Record<string, unknown>[] = [];
  // the -M/--cache-dir options, handed as they are to the parser `oid` and `mib compile` use
  const mibArgv: string[] = [];
  let json = false, mib = true, rules = false;
  const need = (i: number, flag: string) => {
    if (argv[i + 1] === undefined) throw new Error(`${flag} needs a value`);
    return argv[i + 1];
  };
  const cur = (flag: string) => {
    const u = users.at(-1);
    if (!u) throw new Error(`${flag} must follow -u USER`);
    return u;
  };
  try {
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i];
      switch (a) {
        case '-p': port = Number(need(i, a)); i++; if (!Number.isInteger(port) || port < 0 || port > 65535) return `-p: bad port "${argv[i]}"`; break;
        case '--listen': listen.push(need(i, a)); i++; break;
        case '-c': communities.push(need(i, a)); i++; break;
        case '-u': users.push({ user: need(i, a), level: 'noAuthNoPriv', engineIds: [] }); i++; break;
        case '-l': cur(a).level = need(i, a); i++; break;
        case '-a': cur(a).authProtocol = need(i, a); i++; break;
        case '-A': cur(a).authKey = need(i, a); i++; break;
        case '-x': cur(a).privProtocol = need(i, a); i++; break;
        case '-X': cur(a).privKey = need(i, a); i++; break;
        case '-e': (cur(a).engineIds as string[]).push(need(i, a)); i++; break;
        case '-M': case '--mib-dirs': case '--cache-dir': mibArgv.push(a, need(i, a)); i++; break;
        case '--json': json = true; break;
        case '--no-mib': mib = false; break;
        case '--rules': rules = true; break;
        case '-h': case '--help': return HELP;
        default:
          if (a.startsWith('-M') && a.length > 2) { mibArgv.push(a); break; }
          return `unknown option "${a}"`;
      }
    }
  } catch (err) {
    return errorMessage(err);
  }
  if (communities.length === 0 && users.length === 0) communities.push('public');
  return {
    cfg: {
      listen: listen.length ? listen : [`0.0.0.0:${port}`],
      communities: communities.map((c, i) => ({ name: `community#${i + 1}`, community: c })),
      users: users as TrapsConfigInput['users'],
    },
    json, mib: mib ? parseMibArgs(mibArgv) : undefined, rules,
  };
}

/** traps received while the dictionary loads wait for it, at most this many */
const MAX_WAITING = 10_000;

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === '-h' || sub === '--help') {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (sub !== 'listen') {
    process.stderr.write(`netpulse trap: expected "listen"\n${USAGE}\n`);
    return 1;
  }
  const p = parse(rest);
  if (p === HELP) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (typeof p === 'string') {
    process.stderr.write(`netpulse trap listen: ${p}\n${USAGE}\n`);
    return 1;
  }
  const parsed = TrapsConfigSchema.safeParse(p.cfg);
  if (!parsed.success) {
    process.stderr.write(`netpulse trap listen: ${formatIssues('', parsed.error).join('\n  ')}\n`);
    return 1;
  }
  const processor = new TrapProcessor({ rules: p.rules ? new RuleSet(DEFAULT_TRAP_RULES) : undefined });
  processor.onTrap((r) => process.stdout.write((p.json ? trapToJson(r) : trapToText(r)) + '\n'));
  // received, checked, stamped and (informs) acknowledged at once; printed once the dictionary names them
  const pending = new PendingNames(MAX_WAITING, processor.record, (max) =>
    process.stderr.write(`trap queue full: ${max} traps wait for the OID dictionary; dropping the next ones until it is loaded (informs are not acknowledged, so their senders retry)\n`));
  if (!p.mib) pending.settle(undefined);
  const receiver = new TrapReceiver({
    config: parsed.data,
    bytesToRecord: p.mib !== undefined,
    record: pending.record,
    // a detail may quote the sender (an unknown v3 user name): one line of plain text
    onReject: (reason, source, detail) => process.stderr.write(`rejected ${source}: ${reason}: ${safeText(detail)}\n`),
  });
  let addrs: { address: string; port: number }[];
  try {
    addrs = await receiver.start();
  } catch (err) {
    process.stderr.write(`netpulse trap listen: ${errorMessage(err)}${/EACCES/.test(errorMessage(err)) ? ' (ports below 1024 need root; try -p 1162)' : ''}\n`);
    return 1;
  }
  // before the "listening on" line a caller may act on: a signal right after it must find them
  const stopped = new Promise<NodeJS.Signals>((resolve) => {
    // SIGHUP too (the terminal closed): the counters are still printed
    for (const s of STOP_SIGNALS) process.once(s, () => resolve(s));
  });
  process.stderr.write(`listening on ${addrs.map((a) => hostPort(a.address, a.port)).join(', ')}; engine ID ${receiver.local.engineId.toString('hex')}${p.mib ? ' (loading the OID dictionary)' : ' (numeric OIDs: --no-mib)'}\n`);
  // the dictionary loads on a worker thread: this one keeps receiving, and the traps wait in `pending`
  const names = p.mib ? loadNamesOffThread(p.mib) : undefined;
  let loading = names !== undefined;
  const settle = (loaded: LoadedNames) => {
    if (!loading) return;
    loading = false;
    process.stderr.write('translator' in loaded ? `OID names: ${loaded.nodes} nodes\n` : `numeric OIDs: ${loaded.unavailable}\n`);
    const waited = pending.pending;
    pending.settle('translator' in loaded ? loaded.translator : undefined);
    if (pending.dropped) process.stderr.write(`trap queue: printed ${waited} traps received while the OID dictionary loaded; dropped ${pending.dropped} (queue full)\n`);
  };
  void names?.done.then(settle);
  const signal = await stopped;
  await receiver.stop();
  // stopped during the load: the waiting traps are printed, numeric
  const interrupted = loading;
  settle({ unavailable: 'stopped before the OID dictionary was loaded' });
  const ended = !names || await Promise.race([names.stop().then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 2000).unref())]);
  const c = receiver.counters.snapshot();
  process.stderr.write(`received ${c.received}, accepted ${c.accepted}, rejected ${c.rejected}${c.rejected ? ' ' + JSON.stringify(Object.fromEntries(Object.entries(c.byReason).filter(([, v]) => v))) : ''}\n`);
  // a stdout nobody reads (a stalled log reader) must not hold the process: what it has not taken by then is dropped
  const flushed = await flushStdio();
  // a load blocked in a read (a hung file system) cannot be terminated, and its thread keeps even process.exit waiting
  if (interrupted && !ended) process.kill(process.pid, signal);
  else if (!flushed) process.exit(0);
  return 0;
}
