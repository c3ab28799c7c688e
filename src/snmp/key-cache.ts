/**
 * net-snmp turns a v3 password into a localized key with the 1 MiB RFC 3414 hash once per
 * (password, engine ID). The expensive part, Ku = H(password stretched to 1 MiB), does not
 * depend on the engine, so with thousands of agents (each its own engine ID) it is computed
 * again for every one. This wraps net-snmp's passwordToKey so Ku is computed once per
 * (protocol, password) and only the cheap localization H(Ku | engineID | Ku) runs per engine,
 * as Net-SNMP's own C library does.
 */
import { createHash } from 'node:crypto';
import snmp from 'net-snmp';

const HASH_INPUT = 1024 * 1024;
const MAX_ENTRIES = 1024;

type PasswordToKey = (authProtocol: number, password: string, engineID: Buffer) => Buffer;
interface AuthenticationStatics {
  passwordToKey: PasswordToKey;
  algorithms: Record<number, { CRYPTO_ALGORITHM: string }>;
  authToKeyCache: Record<string, Buffer>;
  computeCacheKey(authProtocol: number, password: string, engineID: Buffer): string;
}

const auth = (snmp as unknown as { Authentication: AuthenticationStatics }).Authentication;
const unlocalized = new Map<string, Buffer>();

/** RFC 3414 A.2: hash the password repeated to 1 MiB. */
export function passwordDigest(algorithm: string, password: string): Buffer {
  const key = `${algorithm}\u0000${password}`;
  let ku = unlocalized.get(key);
  if (!ku) {
    ku = createHash(algorithm).update(Buffer.alloc(HASH_INPUT, password)).digest();
    if (unlocalized.size >= MAX_ENTRIES) unlocalized.delete(unlocalized.keys().next().value!);
    unlocalized.set(key, ku);
  }
  return ku;
}

let installed = false;

export function installKeyCache(): void {
  if (installed || typeof auth?.passwordToKey !== 'function') return;
  installed = true;
  auth.passwordToKey = function passwordToKey(authProtocol, password, engineID) {
    const cacheKey = auth.computeCacheKey(authProtocol, password, engineID);
    const cached = auth.authToKeyCache[cacheKey];
    if (cached !== undefined) return cached;
    const algorithm = auth.algorithms[authProtocol].CRYPTO_ALGORITHM;
    const ku = passwordDigest(algorithm, password);
    const localized = createHash(algorithm).update(ku).update(engineID).update(ku).digest();
    auth.authToKeyCache[cacheKey] = localized;
    return localized;
  };
}
