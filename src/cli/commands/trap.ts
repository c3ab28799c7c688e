/**
 * `netpulse trap listen`: print traps as they arrive, like `snmptrapd -f -Lo`.
 *   netpulse trap listen [-p PORT] [--listen ADDR:PORT]... [-c COMMUNITY]...
 *     [-u USER -l LEVEL -a PROTO -A PASS -x PROTO -X PASS [-e ENGINEID]]... [--json] [--rules]
 */
import { DEFAULT_TRAP_RULES } from '../../alerts/default-rules.ts';
import { RuleSet } from '../../alerts/rules.ts';
import { errorMessage } from '../../errors/index.ts';
import { TrapsConfigSchema, type TrapsConfigInput } from '../../traps/config.ts';
import type { Translator } from '../../traps/event.ts';
import { trapToJson, trapToText } from '../../traps/format.ts';
import { TrapProcessor } from '../../traps/processor.ts';
import { TrapReceiver } from '../../traps/receiver.ts';
import { formatIssues } from '../../alerts/rule-schema.ts';

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
  --no-mib             print numeric OIDs even when the OID dictionary is compiled
  --rules              evaluate the shipped rules and show the severity`;

interface Parsed { cfg: TrapsConfigInput; json: boolean; mib: boolean; rules: boolean }

function parse(argv: string[]): Parsed | string {
  let port = 162;
  const listen: string[] = [];
  const communities: string[] = [];
  const users: Record<string, unknown>[] = [];
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
        case '--json': json = true; break;
        case '--no-mib': mib = false; break;
        case '--rules': rules = true; break;
        default: return `unknown option "${a}"`;
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
    json, mib, rules,
  };
}

async function loadTranslator(): Promise<Translator | undefined> {
  try {
    const mib = await import('../../mib/index.ts');
    const { dictionaryTranslator } = await import('../../traps/translator.ts');
    const loaded = mib.loadDictionary(mib.defaultCacheDir());
    return loaded ? dictionaryTranslator(loaded.dictionary) : undefined;
  } catch {
    return undefined;
  }
}

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
  if (typeof p === 'string') {
    process.stderr.write(`netpulse trap listen: ${p}\n${USAGE}\n`);
    return 1;
  }
  const parsed = TrapsConfigSchema.safeParse(p.cfg);
  if (!parsed.success) {
    process.stderr.write(`netpulse trap listen: ${formatIssues('', parsed.error).join('\n  ')}\n`);
    return 1;
  }
  const translator = p.mib ? await loadTranslator() : undefined;
  const processor = new TrapProcessor({ rules: p.rules ? new RuleSet(DEFAULT_TRAP_RULES) : undefined });
  processor.onTrap((r) => process.stdout.write((p.json ? trapToJson(r) : trapToText(r)) + '\n'));
  const receiver = new TrapReceiver({
    config: parsed.data,
    translator,
    record: processor.record,
    onReject: (reason, source, detail) => process.stderr.write(`rejected ${source}: ${reason}: ${detail}\n`),
  });
  let addrs: { address: string; port: number }[];
  try {
    addrs = await receiver.start();
  } catch (err) {
    process.stderr.write(`netpulse trap listen: ${errorMessage(err)}${/EACCES/.test(errorMessage(err)) ? ' (ports below 1024 need root; try -p 1162)' : ''}\n`);
    return 1;
  }
  process.stderr.write(`listening on ${addrs.map((a) => (a.address.includes(':') ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`)).join(', ')}; engine ID ${receiver.local.engineId.toString('hex')}${translator ? '' : ' (numeric OIDs: no compiled OID dictionary)'}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await receiver.stop();
  const c = receiver.counters.snapshot();
  process.stderr.write(`received ${c.received}, accepted ${c.accepted}, rejected ${c.rejected}${c.rejected ? ' ' + JSON.stringify(Object.fromEntries(Object.entries(c.byReason).filter(([, v]) => v))) : ''}\n`);
  return 0;
}
