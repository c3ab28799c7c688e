import { createCipheriv } from 'node:crypto';

export type SnmpVersion = '1' | '2c' | '3';
export type SecurityLevel = 'noAuthNoPriv' | 'authNoPriv' | 'authPriv';

/** Auth protocols as Net-SNMP spells them (`SHA` is SHA-1). */
export const AUTH_PROTOCOLS = ['MD5', 'SHA', 'SHA-224', 'SHA-256', 'SHA-384', 'SHA-512'] as const;
export type AuthProtocol = (typeof AUTH_PROTOCOLS)[number];

/**
 * Priv protocols as Net-SNMP spells them: `AES` is AES-128 (RFC 3826), `AES-256` is
 * Blumenthal key extension (Net-SNMP's meaning), `AES-256-C` is Reeder key extension
 * (Cisco's "AES-256-C").
 */
export const PRIV_PROTOCOLS = ['DES', 'AES', 'AES-256', 'AES-256-C'] as const;
export type PrivProtocol = (typeof PRIV_PROTOCOLS)[number];

export interface CommunityCredential {
  version: '1' | '2c';
  community: string;
}

export interface V3Credential {
  version: '3';
  user: string;
  level: SecurityLevel;
  authProtocol?: AuthProtocol;
  authKey?: string;
  privProtocol?: PrivProtocol;
  privKey?: string;
  context?: string;
}

export type Credential = CommunityCredential | V3Credential;

/** A credential with the secret parts replaced, safe to log or return from the API. */
export function redactCredential(c: Credential): Record<string, unknown> {
  if (c.version === '3') {
    return { version: c.version, user: c.user, level: c.level, authProtocol: c.authProtocol, privProtocol: c.privProtocol, context: c.context };
  }
  return { version: c.version };
}

let desAvailable: boolean | undefined;

/** DES-CBC needs OpenSSL's legacy provider on OpenSSL 3 (node --openssl-legacy-provider). */
export function isDesAvailable(): boolean {
  if (desAvailable === undefined) {
    try {
      createCipheriv('des-cbc', Buffer.alloc(8), Buffer.alloc(8));
      desAvailable = true;
    } catch {
      desAvailable = false;
    }
  }
  return desAvailable;
}
