/**
 * What the SNMP engine (net-snmp) can do with a v3 credential, checked at start-up so a
 * credential that cannot work is a config error, not a poll-time surprise. Self-contained:
 * config sits below snmp in the layering (src/snmp exports its own checkCredentialSupported).
 * Messages name protocols, never secrets: an unknown protocol is told by its shape only (a
 * protocol field may hold a key, the two swapped).
 */
import { shapeOf } from './issues.ts';
import { AUTH_PROTOCOLS, PRIV_PROTOCOLS, isDesAvailable, type AuthProtocol, type PrivProtocol } from '../model/credentials.ts';

/** Spellings accepted in the config (case-insensitive) → the canonical Net-SNMP names of src/model. */
const AUTH_ALIASES: Record<string, AuthProtocol> = {
  MD5: 'MD5', SHA: 'SHA', 'SHA-1': 'SHA', SHA1: 'SHA',
  'SHA-224': 'SHA-224', SHA224: 'SHA-224', 'SHA-256': 'SHA-256', SHA256: 'SHA-256',
  'SHA-384': 'SHA-384', SHA384: 'SHA-384', 'SHA-512': 'SHA-512', SHA512: 'SHA-512',
};
const PRIV_ALIASES: Record<string, PrivProtocol> = {
  DES: 'DES', AES: 'AES', 'AES-128': 'AES', AES128: 'AES',
  'AES-256': 'AES-256', AES256: 'AES-256', 'AES-256-B': 'AES-256', AES256B: 'AES-256',
  'AES-256-C': 'AES-256-C', AES256C: 'AES-256-C', 'AES-256-R': 'AES-256-C', AES256R: 'AES-256-C',
};
/** Protocols Net-SNMP or vendors offer that net-snmp (the library) does not implement. */
const UNSUPPORTED_PRIV = /^(AES-?192(-?C)?|3DES|3DESEDE|DES3|TDES)$/i;

export const AUTH_SPELLINGS = ['MD5', 'SHA', 'SHA-1', 'SHA-224', 'SHA-256', 'SHA-384', 'SHA-512'];
export const PRIV_SPELLINGS = ['DES', 'AES', 'AES-128', 'AES-256', 'AES-256-C'];

export type Normalized<T> = { ok: T } | { problem: string };

export function normalizeAuthProtocol(input: string): Normalized<AuthProtocol> {
  const p = AUTH_ALIASES[input.toUpperCase()];
  return p ? { ok: p } : { problem: `unknown auth protocol (got ${shapeOf(input)}); expected one of ${AUTH_SPELLINGS.join(', ')}` };
}

export function normalizePrivProtocol(input: string): Normalized<PrivProtocol> {
  if (UNSUPPORTED_PRIV.test(input)) {
    const name = input.toUpperCase().replace(/^AES192/, 'AES-192');
    return { problem: `${name} is not supported (net-snmp has no ${name.replace(/-?C$/, '')}); use AES, AES-256 or AES-256-C` };
  }
  const p = PRIV_ALIASES[input.toUpperCase()];
  if (!p) return { problem: `unknown priv protocol (got ${shapeOf(input)}); expected one of ${PRIV_SPELLINGS.join(', ')}` };
  if (p === 'DES' && !isDesAvailable()) {
    return { problem: 'DES is not available: this Node.js OpenSSL lacks DES-CBC (run node with --openssl-legacy-provider); use AES, AES-256 or AES-256-C' };
  }
  return { ok: p };
}


/** Net-SNMP refuses pass phrases shorter than 8 characters (RFC 3414 §11.2). */
export const MIN_KEY_LENGTH = 8;

export { AUTH_PROTOCOLS, PRIV_PROTOCOLS };
