/** Maps netpulse credentials onto net-snmp's user objects, and says up front what cannot work. */
import { createHash } from 'node:crypto';
import snmp from 'net-snmp';
import { AUTH_PROTOCOLS, PRIV_PROTOCOLS, isDesAvailable } from '../model/credentials.ts';
import type { Credential, V3Credential } from '../model/credentials.ts';

const AUTH: Record<string, number> = {
  MD5: snmp.AuthProtocols.md5,
  SHA: snmp.AuthProtocols.sha,
  'SHA-224': snmp.AuthProtocols.sha224,
  'SHA-256': snmp.AuthProtocols.sha256,
  'SHA-384': snmp.AuthProtocols.sha384,
  'SHA-512': snmp.AuthProtocols.sha512,
};

const PRIV: Record<string, number> = {
  DES: snmp.PrivProtocols.des,
  AES: snmp.PrivProtocols.aes,
  'AES-256': snmp.PrivProtocols.aes256b,
  'AES-256-C': snmp.PrivProtocols.aes256r,
};


/**
 * The problems that make a credential unusable here, [] when it is fine. Names the
 * protocol, never a secret. The config loader calls this at start-up.
 */
export function credentialProblems(cred: Credential): string[] {
  const problems: string[] = [];
  if (cred.version === '1' || cred.version === '2c') {
    if (typeof cred.community !== 'string' || cred.community === '') problems.push(`v${cred.version} needs a non-empty community`);
    return problems;
  }
  if (cred.version !== '3') return [`unknown SNMP version "${(cred as { version: unknown }).version}" (use 1, 2c or 3)`];
  if (!cred.user) problems.push('v3 needs a user name');
  if (!['noAuthNoPriv', 'authNoPriv', 'authPriv'].includes(cred.level)) {
    problems.push(`unknown security level "${cred.level}" (use noAuthNoPriv, authNoPriv or authPriv)`);
    return problems;
  }
  if (cred.level !== 'noAuthNoPriv') {
    if (!cred.authProtocol) problems.push(`level ${cred.level} needs an auth protocol (${AUTH_PROTOCOLS.join(', ')})`);
    else if (!(cred.authProtocol in AUTH)) {
      problems.push(`unsupported auth protocol "${cred.authProtocol}" (supported: ${AUTH_PROTOCOLS.join(', ')})`);
    }
    if (!cred.authKey) problems.push(`level ${cred.level} needs an auth password`);
    else if (cred.authKey.length < 8) problems.push('the auth password must be at least 8 characters (RFC 3414)');
  }
  if (cred.level === 'authPriv') {
    const p = cred.privProtocol as string | undefined;
    if (!p) problems.push(`level authPriv needs a priv protocol (${PRIV_PROTOCOLS.join(', ')})`);
    else if (/^AES-?192(-C)?$/i.test(p)) {
      problems.push(`priv protocol "${p}" is not supported: net-snmp (the SNMP library) has no AES-192; use AES, AES-256 or AES-256-C`);
    } else if (!(p in PRIV)) {
      problems.push(`unsupported priv protocol "${p}" (supported: ${PRIV_PROTOCOLS.join(', ')})`);
    } else if (p === 'DES' && !isDesAvailable()) {
      problems.push('priv protocol DES is unavailable: this OpenSSL lacks DES-CBC; run node with --openssl-legacy-provider (bin/netpulse does)');
    }
    if (!cred.privKey) problems.push('level authPriv needs a priv password');
    else if (cred.privKey.length < 8) problems.push('the priv password must be at least 8 characters (RFC 3414)');
  }
  return problems;
}

/** Throws an Error listing every problem; the message never contains a secret. */
export function checkCredentialSupported(cred: Credential): void {
  const problems = credentialProblems(cred);
  if (problems.length > 0) throw new Error(problems.join('; '));
}

export interface NetSnmpUser {
  name: string;
  level: number;
  authProtocol?: number;
  authKey?: string;
  privProtocol?: number;
  privKey?: string;
}

export function toNetSnmpUser(cred: V3Credential): NetSnmpUser {
  const user: NetSnmpUser = { name: cred.user, level: snmp.SecurityLevel[cred.level] };
  if (cred.level !== 'noAuthNoPriv') {
    user.authProtocol = AUTH[cred.authProtocol ?? ''];
    user.authKey = cred.authKey;
  }
  if (cred.level === 'authPriv') {
    user.privProtocol = PRIV[cred.privProtocol ?? ''];
    user.privKey = cred.privKey;
  }
  return user;
}

/**
 * A stable key for caching sessions; secrets are hashed in so a changed password gets a new
 * session. Built from the fields in a fixed order: the same credential with its keys written in
 * another order (config, API) is the same session.
 */
export function credentialKey(cred: Credential): string {
  const fields =
    cred.version === '3'
      ? [cred.version, cred.user, cred.level, cred.authProtocol, cred.authKey, cred.privProtocol, cred.privKey, cred.context ?? '']
      : [cred.version, cred.community];
  return createHash('sha256').update(JSON.stringify(fields)).digest('base64');
}
export { isDesAvailable };
