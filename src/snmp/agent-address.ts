/**
 * The IP address an agent is talked to at. Host names go through the process's NameResolver
 * (src/icmp/resolve.ts), shared with ICMP: cached, a bounded number of lookups at once, and a
 * caller waits at most NAME_LOOKUP_TIMEOUT_MS, so a dead DNS fails that agent's operation only.
 */
import { isIP } from 'node:net';
import { lookUpName } from '../icmp/resolve.ts';
import { canonicalAddress } from './address.ts';
import { snmpError } from './errors.ts';
import type { SnmpTarget } from './types.ts';

const NAME_LOOKUP_TIMEOUT_MS = 2000;

/**
 * A target whose host name was looked up already (`lookedUp`, an IP literal): the SNMP threads
 * get their targets so from the main thread, where the process's resolver (and, for short
 * commands, its helper process) is; a thread has a module instance, and a cache, of its own.
 */
export type LookedUpTarget = SnmpTarget & { lookedUp?: string };

/**
 * `label` and `action` name the operation in the error. Nothing was sent: kind `busy` when the
 * wait for a lookup slot ran out (the name was not looked up), else `config`.
 */
export async function agentAddress(t: LookedUpTarget, label: string, action: string): Promise<string> {
  if (t.lookedUp !== undefined) return t.lookedUp;
  if (isIP(t.address)) return canonicalAddress(t.address);
  const outcome = await lookUpName(t.address, NAME_LOOKUP_TIMEOUT_MS);
  if ('address' in outcome) return outcome.address;
  throw snmpError(label, action, `name lookup: ${outcome.cause}`, outcome.busy ? 'busy' : 'config');
}
