// The part of net-snmp 3.29 (which ships no types) that src/snmp uses.
declare module 'net-snmp' {
  import type { EventEmitter } from 'node:events';

  export interface NsVarbind {
    oid: string;
    type: number;
    value: unknown;
  }

  export interface SessionOptions {
    port?: number;
    retries?: number;
    timeout?: number;
    backoff?: number;
    transport?: 'udp4' | 'udp6';
    version?: number;
    idBitsSize?: 16 | 32;
    context?: string;
    backwardsGetNexts?: boolean;
    reportOidMismatchErrors?: boolean;
    dgramModule?: { createSocket(type: string): unknown };
  }

  export interface Session extends EventEmitter {
    target: string;
    msgSecurityParameters?: unknown;
    get(oids: string[], cb: (err: Error | null, varbinds?: NsVarbind[]) => void): Session;
    getNext(oids: string[], cb: (err: Error | null, varbinds?: NsVarbind[]) => void): Session;
    getBulk(
      oids: string[],
      nonRepeaters: number,
      maxRepetitions: number,
      cb: (err: Error | null, varbinds?: Array<NsVarbind | NsVarbind[]>) => void,
    ): Session;
    close(): Session;
  }

  interface NetSnmp {
    Version1: number;
    Version2c: number;
    Version3: number;
    ObjectType: Record<string, number> & Record<number, string>;
    ErrorStatus: Record<string, number> & Record<number, string>;
    SecurityLevel: Record<'noAuthNoPriv' | 'authNoPriv' | 'authPriv', number>;
    AuthProtocols: Record<'md5' | 'sha' | 'sha224' | 'sha256' | 'sha384' | 'sha512', number>;
    PrivProtocols: Record<'des' | 'aes' | 'aes256b' | 'aes256r', number>;
    ResponseInvalidCode: Record<string, number> & Record<number, string>;
    RequestTimedOutError: new (...args: unknown[]) => Error;
    RequestFailedError: new (...args: unknown[]) => Error & { status: number };
    ResponseInvalidError: new (...args: unknown[]) => Error & { code: number };
    RequestInvalidError: new (...args: unknown[]) => Error;
    createSession(target: string, community: string, options?: SessionOptions): Session;
    createV3Session(target: string, user: object, options?: SessionOptions): Session;
  }

  const snmp: NetSnmp;
  export default snmp;
}
