/**
 * Net-SNMP style command line for get/walk/bulkwalk: `-v 2c -c public -On HOST[:PORT] OID...`.
 * Options may be joined to their value as Net-SNMP allows (`-v2c`, `-cpublic`, `-Cr50`). Pure.
 */
import { AUTH_PROTOCOLS, PRIV_PROTOCOLS } from '../model/credentials.ts';
import type { AuthProtocol, Credential, PrivProtocol, SecurityLevel } from '../model/credentials.ts';
import { normalizeOid } from './oid.ts';
import type { SnmpTarget } from './types.ts';

export interface SnmpCommandLine {
  target: SnmpTarget;
  oids: string[];
  /** -On: numeric OIDs even when an OID dictionary is available */
  numeric: boolean;
}

export class UsageError extends Error {}

export const USAGE = `[-v 1|2c|3] [-c COMMUNITY] [-u USER] [-l noAuthNoPriv|authNoPriv|authPriv]
    [-a MD5|SHA|SHA-224|SHA-256|SHA-384|SHA-512] [-A PASS] [-x DES|AES|AES-256|AES-256-C] [-X PASS]
    [-n CONTEXT] [-t SECONDS] [-r RETRIES] [-Cr MAXREPETITIONS] [-On] HOST[:PORT] [OID...]
  -v defaults to 3 when -u is given, else 2c; -t 1, -r 5, -Cr 10 as in Net-SNMP.`;

const LEVELS: Record<string, SecurityLevel> = {
  noauthnopriv: 'noAuthNoPriv', nanp: 'noAuthNoPriv', '1': 'noAuthNoPriv',
  authnopriv: 'authNoPriv', anp: 'authNoPriv', '2': 'authNoPriv',
  authpriv: 'authPriv', ap: 'authPriv', '3': 'authPriv',
};

const WITH_VALUE = new Set(['v', 'c', 'u', 'l', 'a', 'A', 'x', 'X', 'n', 't', 'r']);

/** `127.0.0.1`, `127.0.0.1:1161`, `udp:host:161`, `[::1]:161`, `udp6:[::1]:161`, `::1` */
export function parseHost(spec: string): { address: string; port: number } {
  let s = spec.replace(/^(udp6?|udp):/i, '');
  let port = 161;
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (bracket) {
    s = bracket[1];
    if (bracket[2]) port = Number(bracket[2]);
  } else if ((s.match(/:/g) ?? []).length === 1) {
    const [h, p] = s.split(':');
    if (!/^\d+$/.test(p)) throw new UsageError(`bad port in "${spec}"`);
    s = h;
    port = Number(p);
  }
  if (!s) throw new UsageError(`no host in "${spec}"`);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`port out of range in "${spec}"`);
  return { address: s, port };
}

function pick<T extends string>(list: readonly T[], value: string, what: string): T {
  const found = list.find((x) => x.toLowerCase() === value.toLowerCase());
  if (!found) throw new UsageError(`unknown ${what} "${value}" (use ${list.join(', ')})`);
  return found;
}

function positiveNumber(value: string, what: string, allowZero = false): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) throw new UsageError(`${what} must be a ${allowZero ? 'non-negative' : 'positive'} number, got "${value}"`);
  return n;
}

export function parseSnmpCommandLine(argv: string[]): SnmpCommandLine {
  const opt: Record<string, string> = {};
  let numeric = false;
  let maxRepetitions = 10;
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const letter = arg[1];
    if (letter === 'O') {
      for (const f of arg.slice(2)) {
        if (f === 'n') numeric = true;
        else throw new UsageError(`unsupported output option -O${f} (only -On)`);
      }
      continue;
    }
    if (letter === 'C') {
      const rest = arg.slice(2);
      if (!rest.startsWith('r')) throw new UsageError(`unsupported application option ${arg} (only -Cr N)`);
      const v = rest.length > 1 ? rest.slice(1) : argv[++i];
      if (v === undefined) throw new UsageError('-Cr needs a number');
      maxRepetitions = positiveNumber(v, '-Cr');
      if (!Number.isInteger(maxRepetitions)) throw new UsageError('-Cr must be an integer');
      continue;
    }
    if (!WITH_VALUE.has(letter)) throw new UsageError(`unknown option ${arg}`);
    const value = arg.length > 2 ? arg.slice(2) : argv[++i];
    if (value === undefined) throw new UsageError(`option -${letter} needs a value`);
    opt[letter] = value;
  }
  if (positional.length === 0) throw new UsageError('no agent given (HOST[:PORT])');
  const { address, port } = parseHost(positional[0]);
  const oids = positional.slice(1).map((o) => {
    try {
      return normalizeOid(o);
    } catch {
      throw new UsageError(`"${o}" is not a numeric OID (like .1.3.6.1.2.1.1.5.0)`);
    }
  });

  const version = (opt.v ?? (opt.u !== undefined ? '3' : '2c')).toLowerCase();
  let credential: Credential;
  if (version === '1' || version === '2c') {
    credential = { version, community: opt.c ?? 'public' };
  } else if (version === '3') {
    if (!opt.u) throw new UsageError('-v 3 needs a user name (-u USER)');
    const authProtocol = opt.a ? pick<AuthProtocol>(AUTH_PROTOCOLS, opt.a, 'auth protocol') : undefined;
    const privProtocol = opt.x ? (pickPriv(opt.x) as PrivProtocol) : undefined;
    const levelRaw = opt.l ?? (opt.X ? 'authPriv' : opt.A ? 'authNoPriv' : 'noAuthNoPriv');
    const level = LEVELS[levelRaw.toLowerCase()];
    if (!level) throw new UsageError(`unknown security level "${levelRaw}" (use noAuthNoPriv, authNoPriv or authPriv)`);
    credential = {
      version: '3',
      user: opt.u,
      level,
      authProtocol: authProtocol ?? (level === 'noAuthNoPriv' ? undefined : 'MD5'),
      authKey: opt.A,
      privProtocol: privProtocol ?? (level === 'authPriv' ? 'DES' : undefined),
      privKey: opt.X,
      context: opt.n,
    };
  } else {
    throw new UsageError(`unknown SNMP version "${opt.v}" (use 1, 2c or 3)`);
  }
  const timeoutMs = Math.round(positiveNumber(opt.t ?? '1', '-t') * 1000);
  const retries = positiveNumber(opt.r ?? '5', '-r', true);
  if (!Number.isInteger(retries)) throw new UsageError('-r must be an integer');
  return { target: { address, port, credential, timeoutMs, retries, maxRepetitions }, oids, numeric };
}

/** Priv names pass through unchecked beyond spelling, so AES-192 reaches checkCredentialSupported's message. */
function pickPriv(value: string): string {
  const known = [...PRIV_PROTOCOLS, 'AES-192', 'AES-192-C'];
  const found = known.find((x) => x.toLowerCase() === value.toLowerCase());
  if (!found) throw new UsageError(`unknown priv protocol "${value}" (use ${PRIV_PROTOCOLS.join(', ')})`);
  return found;
}
