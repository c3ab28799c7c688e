/**
 * The SnmpClient on top of net-snmp: cached sessions that share a few UDP sockets
 * (socket-mux.ts), one operation at a time per agent and a global concurrency limit
 * (limiter.ts), errors classified into NetpulseError kinds (errors.ts).
 */
import { isIP } from 'node:net';
import snmp from 'net-snmp';
import type { NsVarbind, Session } from 'net-snmp';
import type { NetpulseError } from '../errors/index.ts';
import type { V3Credential } from '../model/credentials.ts';
import { credentialKey, credentialProblems, toNetSnmpUser } from './credentials.ts';
import { agentAddress } from './agent-address.ts';
import { agentLabel, BadResponseError, classifyError, snmpError } from './errors.ts';
import { communityGetBulk, type CommunityAgent } from './fast-bulk.ts';
import { usmEngine, usmGetBulk, type UsmAgent } from './fast-bulk-v3.ts';
import { installKeyCache } from './key-cache.ts';
import { Limiter } from './limiter.ts';
import { normalizeOid } from './oid.ts';
import { SocketMux, type SocketMuxStats, type VirtualSocket } from './socket-mux.ts';
import { createThreadedSnmpClient } from './threaded-client.ts';
import type { OnAnswerEnd, SnmpClient, SnmpTarget, TableRow, Varbind, WalkOptions } from './types.ts';
import { convertVarbind } from './varbind.ts';
import { walkSubtree, walkTable, type Requester } from './walk.ts';

export interface SnmpClientOptions {
  /** agents talked to at once (each with one request in flight); default 64 */
  maxConcurrency?: number;
  /** real UDP sockets per address family shared by all sessions; default 4 */
  maxSockets?: number;
  /** sessions (engine state, localized keys) kept between operations; default 4096 */
  maxSessions?: number;
  /** OIDs per GET request before splitting; default 32 (halved on tooBig) */
  maxOidsPerGet?: number;
  /**
   * SNMP threads (threaded-client.ts) that decode, decrypt and walk, each agent always on the
   * same one; 0 (the default) runs everything on the calling thread
   */
  threads?: number;
}

export interface NetpulseSnmpClient extends SnmpClient {
  stats(): SocketMuxStats & { sessions: number; active: number; queued: number; wireBulkRequests: number };
}

interface AgentSession {
  /** the session cache's key */
  key: string;
  session: Session;
  /** operations using it now: the cache never closes a busy session */
  busy: number;
  /** message of the last datagram from this agent net-snmp could not process */
  parseError?: string;
  /** the agent has answered this session at least once */
  answered: boolean;
  /** max-repetitions learned from backoff */
  maxRepetitions?: number;
  /** v2c: GETBULK goes through the wire codec (fast-bulk.ts) on the session's socket */
  fastBulk?: CommunityAgent;
  /** v3: the same once net-snmp has discovered the engine (fast-bulk-v3.ts) */
  usmBulk?: UsmAgent;
}

const SYS_UPTIME = '1.3.6.1.2.1.1.3.0';

/** v3 failures after which the session's discovered engine may be stale (not an authentic but broken answer) */
function mayHaveStaleEngine(err: unknown): boolean {
  const e = err as NetpulseError | undefined;
  return e?.kind === 'auth' || e?.kind === 'timeout' || (e?.kind === 'protocol' && !(e.cause instanceof BadResponseError));
}

installKeyCache();

export function createSnmpClient(options: SnmpClientOptions = {}): NetpulseSnmpClient {
  if ((options.threads ?? 0) >= 1) return createThreadedSnmpClient({ ...options, threads: options.threads! });
  const limiter = new Limiter(options.maxConcurrency ?? 64);
  const mux = new SocketMux(options.maxSockets ?? 4);
  const maxSessions = Math.max(options.maxSessions ?? 4096, limiter.maxConcurrency * 2);
  const maxOidsPerGet = options.maxOidsPerGet ?? 32;
  const sessions = new Map<string, AgentSession>();
  const counters = { wireBulkRequests: 0 };
  let closed = false;

  function openSession(address: string, t: SnmpTarget): AgentSession {
    const key = `${address}|${t.port}|${t.timeoutMs}|${t.retries}|${credentialKey(t.credential)}`;
    const cached = sessions.get(key);
    if (cached) return cached;
    const c = t.credential;
    const common = {
      port: t.port,
      timeout: t.timeoutMs,
      retries: t.retries,
      transport: isIP(address) === 6 ? ('udp6' as const) : ('udp4' as const),
      dgramModule: mux.dgramModule,
    };
    const session =
      c.version === '3'
        ? snmp.createV3Session(address, toNetSnmpUser(c), { ...common, version: snmp.Version3, context: c.context ?? '' })
        : snmp.createSession(address, c.community, { ...common, version: c.version === '1' ? snmp.Version1 : snmp.Version2c });
    const entry: AgentSession = { key, session, busy: 0, answered: false };
    const socket = (session as unknown as { dgram: VirtualSocket }).dgram;
    session.on('error', (err: Error) => (entry.parseError = err.message));
    socket.on('fault', (err: Error) => (entry.parseError = err.message));
    if (c.version === '2c') {
      entry.fastBulk = { socket, address, port: t.port, community: Buffer.from(c.community), timeoutMs: t.timeoutMs, retries: t.retries };
    } else if (c.version === '3') {
      const link = { socket, address, port: t.port, timeoutMs: t.timeoutMs, retries: t.retries };
      entry.usmBulk = { ...link, session, credential: c, context: Buffer.from(c.context ?? '') };
    }
    sessions.set(key, entry);
    return entry;
  }

  /** The session cache is in order of last use: marks `entry` used, then closes the least recently used idle sessions above maxSessions. */
  function doneWith(entry: AgentSession): void {
    if (--entry.busy === 0 && sessions.get(entry.key) === entry) {
      sessions.delete(entry.key);
      sessions.set(entry.key, entry);
    }
    let excess = sessions.size - maxSessions;
    if (excess <= 0) return;
    for (const [key, old] of sessions) {
      if (old.busy > 0) continue;
      sessions.delete(key);
      old.session.close();
      if (--excess === 0) return;
    }
  }

  /** Validates, then runs `op` under the per-agent and global limits with a live session. */
  async function withAgent<T>(t: SnmpTarget, action: string, op: (req: SessionRequester) => Promise<T>): Promise<T> {
    const label = agentLabel(t.address, t.port);
    if (closed) throw snmpError(label, action, 'the SNMP client is closed', 'config');
    const problems = credentialProblems(t.credential);
    if (problems.length > 0) throw snmpError(label, action, problems.join('; '), 'config');
    const address = await agentAddress(t, label, action);
    if (closed) throw snmpError(label, action, 'the SNMP client is closed', 'config');
    return limiter.run(`${address}|${t.port}`, async () => {
      for (let attempt = 0; ; attempt++) {
        const entry = openSession(address, t);
        entry.busy++;
        entry.parseError = undefined;
        const req = new SessionRequester(entry, t, label, counters);
        const startReps = req.maxRepetitions;
        try {
          const result = await op(req);
          // a walk that needed no backoff lets a reduced max-repetitions grow back (x2 per operation)
          entry.maxRepetitions = req.maxRepetitions === startReps ? Math.min(t.maxRepetitions, startReps * 2) : req.maxRepetitions;
          return result;
        } catch (err) {
          entry.maxRepetitions = req.maxRepetitions;
          const e = await req.diagnose(err, action);
          if (t.credential.version !== '3' || !mayHaveStaleEngine(e)) throw e;
          // the agent may have been replaced or reset (new engine ID, boots, time): forget what
          // this session discovered so the next request discovers again; an unknown engine ID
          // says so outright, and is retried at once
          dropSession(entry);
          if (attempt > 0 || !/unknown engine ID/.test((e as NetpulseError).reason ?? '')) throw e;
        } finally {
          doneWith(entry);
        }
      }
    });
  }

  function dropSession(entry: AgentSession): void {
    if (sessions.get(entry.key) !== entry) return;
    sessions.delete(entry.key);
    entry.session.close();
  }

  function oidsOrThrow(t: SnmpTarget, action: string, oids: string[]): string[] {
    try {
      return oids.map(normalizeOid);
    } catch (err) {
      throw snmpError(agentLabel(t.address, t.port), action, (err as Error).message, 'config');
    }
  }

  return {
    async get(t, oids) {
      const action = `get ${oids.join(',')}`;
      const list = oidsOrThrow(t, action, oids);
      if (list.length === 0) return [];
      return withAgent(t, action, (req) => req.getMany(list, maxOidsPerGet, action));
    },
    async walk(t, rootOid, opts?: WalkOptions) {
      const [root] = oidsOrThrow(t, `walk ${rootOid}`, [rootOid]);
      return withAgent(t, `walk ${root}`, (req) => walkSubtree(req, root, opts));
    },
    async table(t, columnOids, opts?: WalkOptions): Promise<TableRow[]> {
      const cols = oidsOrThrow(t, `table ${columnOids.join(',')}`, columnOids);
      if (cols.length === 0) return [];
      return withAgent(t, `table ${cols.join(',')}`, (req) => walkTable(req, cols, opts));
    },
    async close() {
      closed = true;
      for (const e of sessions.values()) e.session.close();
      sessions.clear();
      mux.close();
    },
    stats() {
      return { ...mux.stats(), sessions: sessions.size, active: limiter.active, queued: limiter.queued, ...counters };
    },
  };
}

/** One operation's view of a session: promisified requests whose errors are classified. */
class SessionRequester implements Requester {
  readonly bulk: boolean;
  maxRepetitions: number;

  constructor(
    private readonly entry: AgentSession,
    private readonly t: SnmpTarget,
    readonly target: string,
    private readonly counters: { wireBulkRequests: number },
  ) {
    this.bulk = t.credential.version !== '1';
    this.maxRepetitions = Math.max(1, Math.min(entry.maxRepetitions ?? t.maxRepetitions, t.maxRepetitions));
  }

  #call<R>(action: string, start: (cb: (err: Error | null, res?: R) => void) => void): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      start((err, res) => {
        if (err) reject(this.#classify(err, action));
        else {
          this.entry.answered = true;
          resolve(res as R);
        }
      });
    });
  }

  #classify(err: unknown, action: string): NetpulseError {
    return classifyError(err, { target: this.target, action, retries: this.t.retries, parseError: this.entry.parseError });
  }

  #convert(vbs: NsVarbind[], action: string): Varbind[] {
    try {
      return vbs.map(convertVarbind);
    } catch (err) {
      throw snmpError(this.target, action, `malformed response: ${(err as Error).message}`, 'protocol');
    }
  }

  async get(oids: string[], action: string): Promise<Varbind[]> {
    if (this.t.credential.version === '1') return this.#getV1(oids, action);
    const vbs = await this.#call<NsVarbind[]>(action, (cb) => this.entry.session.get(oids, cb));
    return this.#convert(vbs, action);
  }

  /** v1 fails the whole GET on one missing OID (noSuchName): mark it NoSuchObject and ask again for the rest. */
  async #getV1(oids: string[], action: string): Promise<Varbind[]> {
    const missing = new Set<string>();
    for (;;) {
      const ask = oids.filter((o) => !missing.has(o));
      if (ask.length === 0) return oids.map((oid) => ({ oid, type: 'NoSuchObject', value: null }));
      try {
        const vbs = this.#convert(await this.#call<NsVarbind[]>(action, (cb) => this.entry.session.get(ask, cb)), action);
        const byOid = new Map(vbs.map((v) => [v.oid, v]));
        return oids.map((oid) => byOid.get(oid) ?? { oid, type: 'NoSuchObject', value: null });
      } catch (err) {
        const at = /error-status NoSuchName at ([\d.]+)/.exec((err as Error).message)?.[1];
        if (!at || missing.has(at) || !ask.includes(at)) throw err;
        missing.add(at);
      }
    }
  }

  /** GET in chunks of `chunk` OIDs, halving the chunk on tooBig. */
  async getMany(oids: string[], chunk: number, action: string): Promise<Varbind[]> {
    const out: Varbind[] = [];
    for (let i = 0; i < oids.length; ) {
      const part = oids.slice(i, i + chunk);
      try {
        out.push(...(await this.get(part, action)));
        i += part.length;
      } catch (err) {
        if ((err as NetpulseError).kind === 'tooBig' && chunk > 1) chunk = Math.max(1, Math.floor(chunk / 2));
        else throw err;
      }
    }
    return out;
  }

  async getNext(oids: string[], action: string): Promise<Varbind[]> {
    try {
      const vbs = await this.#call<NsVarbind[]>(action, (cb) => this.entry.session.getNext(oids, cb));
      return this.#convert(vbs, action);
    } catch (err) {
      if (this.t.credential.version === '1' && /error-status NoSuchName/.test((err as Error).message)) {
        return oids.map((oid) => ({ oid, type: 'EndOfMibView', value: null }));
      }
      throw err;
    }
  }

  async getBulk(oids: string[], maxRepetitions: number, action: string, onEnd?: OnAnswerEnd): Promise<Varbind[][]> {
    const fast = this.entry.fastBulk;
    if (fast) {
      this.counters.wireBulkRequests++;
      try {
        const cols = await communityGetBulk(fast, oids, maxRepetitions, onEnd);
        this.entry.answered = true;
        return cols;
      } catch (err) {
        throw this.#classify(err, action);
      }
    }
    const usm = this.entry.usmBulk;
    const engine = usm && usmEngine(usm);
    if (engine) {
      this.counters.wireBulkRequests++;
      try {
        const cols = await usmGetBulk(usm, engine, oids, maxRepetitions, onEnd);
        this.entry.answered = true;
        return cols;
      } catch (err) {
        throw this.#classify(err, action);
      }
    }
    const res = await this.#call<Array<NsVarbind | NsVarbind[]>>(action, (cb) =>
      this.entry.session.getBulk(oids, 0, maxRepetitions, cb),
    );
    return oids.map((_, i) => {
      const col = res[i];
      return col === undefined ? [] : this.#convert(Array.isArray(col) ? col : [col], action);
    });
  }

  /**
   * Agents drop requests they cannot decrypt without a report, so a wrong priv password
   * looks like a timeout. When a v3 authPriv agent answered discovery but never a real
   * request, ask it once at authNoPriv: an authenticated answer of any kind proves the
   * user and auth password, which leaves privacy as the cause.
   */
  async diagnose(err: unknown, action: string): Promise<unknown> {
    const e = err as NetpulseError;
    const c = this.t.credential;
    if (e?.kind !== 'timeout' || c.version !== '3' || c.level !== 'authPriv' || this.entry.answered) return err;
    if (!this.entry.session.msgSecurityParameters) return err;
    const probeCred: V3Credential = { ...c, level: 'authNoPriv', privProtocol: undefined, privKey: undefined };
    const probe = snmp.createV3Session(this.entry.session.target, toNetSnmpUser(probeCred), {
      port: this.t.port,
      timeout: this.t.timeoutMs,
      retries: 0,
      version: snmp.Version3,
      context: c.context ?? '',
      transport: isIP(this.entry.session.target) === 6 ? 'udp6' : 'udp4',
    });
    probe.on('error', () => {});
    const authOk = await new Promise<boolean>((resolve) => {
      probe.get([SYS_UPTIME], (perr) => {
        if (!perr) return resolve(true);
        const k = this.#classify(perr, action);
        resolve(k.kind === 'protocol' || (k.kind === 'auth' && /unsupported security level/.test(k.reason)));
      });
    });
    probe.close();
    if (!authOk) return err;
    return snmpError(
      this.target,
      action,
      `no answer to encrypted requests although the agent accepts this user and auth password: wrong priv password or priv protocol (decryptionError; agents drop such requests without a report)`,
      'auth',
    );
  }
}
