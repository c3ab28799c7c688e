import { isIP } from 'node:net';
import { LookupHelper } from './lookup-helper.ts';
import { lookupThreads, NameResolver, type NameOutcome } from './name-resolver.ts';

/** `busy`: not looked up, the wait for a lookup slot ran out (see NameOutcome) */
export type Resolved = { address: string } | { error: string; busy?: true };

/** one per process: the cache and the bound on concurrent lookups cover every check, engine and SNMP agent */
let shared = new NameResolver();
let helper: LookupHelper | undefined;

/**
 * For short commands (`ping`, `poll --once`, `discover`, `get`, `walk`, `bulkwalk`), before their first
 * lookup: names are looked up in a helper process (LookupHelper), so a lookup hanging on a dead
 * DNS does not hold the command's exit. The helper ends with the process. `netpulse start` keeps
 * in-process lookups. The helper's lookup threads serve this resolver alone (ICMP and SNMP; no
 * other lookup to leave one to): all of them are slots, so a dead name's lookup does not hold
 * up every other name.
 */
export function lookUpNamesInHelper(): void {
  helper ??= new LookupHelper();
  shared = new NameResolver({ lookup: helper.lookup, maxConcurrent: lookupThreads() });
}

/** Replaces the process's resolver (tests inject one); returns the one it replaced. */
export function useNameResolver(resolver: NameResolver): NameResolver {
  const old = shared;
  shared = resolver;
  return old;
}

/**
 * One host name through the process's resolver (the SNMP client's agents; no IP literal
 * check): the same cache, lookup slots and helper as ICMP. Waits at most timeoutMs.
 */
export function lookUpName(name: string, timeoutMs: number): Promise<NameOutcome> {
  return shared.resolve(name, timeoutMs);
}

/**
 * Resolves host names in parallel before the engine runs, so one slow or dead name costs only
 * its own result instead of stalling the whole fping batch (fping resolves serially at start-up).
 * IP literals (also `[v6]`) pass through without a lookup. A caller waits at most timeoutMs per
 * name; see NameResolver for caching and the bound on concurrent lookups.
 */
export async function resolveHosts(hosts: readonly string[], timeoutMs = 2000, resolver: NameResolver = shared): Promise<Map<string, Resolved>> {
  const out = new Map<string, Resolved>();
  await Promise.all(
    hosts.map(async (host) => {
      out.set(host, await resolveOne(host, timeoutMs, resolver));
    }),
  );
  return out;
}

async function resolveOne(host: string, timeoutMs: number, resolver: NameResolver): Promise<Resolved> {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (isIP(bare)) return { address: bare };
  if (!/^[A-Za-z0-9_]([A-Za-z0-9_.-]{0,252})$/.test(bare)) {
    return { error: `icmp: host ${JSON.stringify(host)}: invalid host name or address` };
  }
  const outcome = await resolver.resolve(bare, timeoutMs);
  if ('address' in outcome) return outcome;
  const error = `icmp: host ${host}: name did not resolve: ${outcome.cause}`;
  return outcome.busy ? { error, busy: true } : { error };
}
