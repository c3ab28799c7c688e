/**
 * The SNMP client spread over worker threads. Decoding, v3 crypto and the walks themselves run
 * in a small process-wide pool of SNMP threads; the main thread only routes operations and
 * rebuilds the results. Each agent (address and port) goes to the same thread while it is polled
 * (agent-threads.ts), so its session, discovered engine and per-agent ordering stay in one place.
 *
 * Why: with one thread, every agent's next request waits while that thread handles the other
 * agents' replies, and while it sits in a send: a send wakes the agent, which the kernel may run
 * in the sender's place (dgram's send was 36 % of the one thread's time at 4 local v3 agents,
 * ~150 µs a request). Its garbage collection stops them all too. Net-SNMP's tools run one
 * process per walk. Threads are shared by every threaded client and kept warm between clients.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { siblingModuleUrl, startModuleWorker } from '../threads/module-worker.ts';
import { agentAddress } from './agent-address.ts';
import { AgentThreads } from './agent-threads.ts';
import { agentLabel, snmpError } from './errors.ts';
import { Limiter } from './limiter.ts';
import type { NetpulseSnmpClient, SnmpClientOptions } from './client.ts';
import type { ThreadReply, ThreadRequest, ThreadStats } from './thread-messages.ts';
import type { SnmpTarget, TableRow, Varbind, WalkOptions } from './types.ts';
import { unpackError, unpackRows, unpackVarbinds } from './varbind-transfer.ts';

/** most SNMP threads a client may ask for */
export const MAX_SNMP_THREADS = 16;

/** what `snmpThreads: auto` means: one SNMP thread per core, at most 4; none on a single core */
export function autoSnmpThreads(cores = availableParallelism()): number {
  return cores >= 2 ? Math.min(cores, 4) : 0;
}

interface Pending {
  resolve(r: ThreadReply): void;
  reject(e: Error): void;
  label: string;
  action: string;
}

type Request = ThreadRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;
type OperationRequest = Exclude<Request, { t: 'close' }>;

const THREAD_URL = siblingModuleUrl('snmp-thread', import.meta.url);

/** one worker of the pool; replaced by a fresh one when it dies */
class SnmpThread {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  /** clients whose options this thread has had */
  readonly #known = new Set<number>();
  #nextId = 1;
  dead = false;

  constructor() {
    this.#worker = startModuleWorker(THREAD_URL);
    this.#worker.unref();
    this.#worker.on('message', (r: ThreadReply | { fatal: string }) => ('fatal' in r ? this.#fail(r.fatal) : this.#settle(r)));
    this.#worker.on('error', (err) => this.#fail(err.message));
    this.#worker.on('exit', (code) => this.#fail(`exited with status ${code}`));
  }

  send(req: Request, label: string, action: string): Promise<ThreadReply> {
    if (this.dead) return Promise.reject(snmpError(label, action, 'the SNMP thread has stopped', 'protocol'));
    const id = this.#nextId++;
    return new Promise<ThreadReply>((resolve, reject) => {
      if (this.#pending.size === 0) this.#worker.ref();
      this.#pending.set(id, { resolve, reject, label, action });
      const first = !this.#known.has(req.client);
      if (first) this.#known.add(req.client);
      if (req.t === 'close') this.#known.delete(req.client);
      this.#worker.postMessage(first || req.t === 'close' ? { ...req, id } : { ...req, options: undefined, id });
    });
  }

  terminate(): Promise<number> {
    return this.#worker.terminate();
  }

  #settle(r: ThreadReply): void {
    const p = this.#pending.get(r.id);
    if (!p) return;
    this.#pending.delete(r.id);
    if (this.#pending.size === 0) this.#worker.unref();
    p.resolve(r);
  }

  #fail(why: string): void {
    if (this.dead) return;
    this.dead = true;
    void this.#worker.terminate();
    for (const p of this.#pending.values()) p.reject(snmpError(p.label, p.action, `the SNMP thread stopped: ${why}`, 'protocol'));
    this.#pending.clear();
  }
}

const pool: (SnmpThread | undefined)[] = [];

function thread(i: number, label: string, action: string): SnmpThread {
  let t = pool[i];
  if (t && !t.dead) return t;
  try {
    pool[i] = t = new SnmpThread();
  } catch (err) {
    throw snmpError(label, action, `cannot start an SNMP thread: ${(err as Error).message}`, 'config', err);
  }
  return t;
}

/** stops every SNMP thread (tests; a process exits without it: idle threads do not hold it) */
export async function stopSnmpThreads(): Promise<void> {
  const all = pool.splice(0);
  await Promise.all(all.map((t) => t?.terminate()));
}

const placement = new AgentThreads();

let nextClientId = 1;

export function createThreadedSnmpClient(options: SnmpClientOptions & { threads: number }): NetpulseSnmpClient {
  const threads = Math.max(1, Math.min(MAX_SNMP_THREADS, Math.floor(options.threads)));
  const id = nextClientId++;
  // the global and per-agent limits are kept here, as the single-thread client keeps them
  const limiter = new Limiter(options.maxConcurrency ?? 64);
  const perThread: SnmpClientOptions = { ...options, threads: 0 };
  const stats = new Map<number, ThreadStats>();
  const used = new Set<number>();
  let closed = false;

  async function run(action: string, req: OperationRequest): Promise<ThreadReply> {
    const t = req.target;
    const label = agentLabel(t.address, t.port);
    if (closed) throw snmpError(label, action, 'the SNMP client is closed', 'config');
    // here, not in the thread: the process's name cache and lookup slots live on this thread
    const lookedUp = await agentAddress(t, label, action);
    // closed while the name was looked up: a thread would open a new client for this one
    if (closed) throw snmpError(label, action, 'the SNMP client is closed', 'config');
    // by address, as the single-thread client's limiter: a name and its address (or a name whose
    // address changed) are one agent (or a new one), on one thread with one session
    const agentKey = `${lookedUp}|${t.port}`;
    const r = await limiter.run(agentKey, async () => {
      const i = placement.threadOf(agentKey, threads);
      used.add(i);
      const reply = await thread(i, label, action).send({ ...req, target: { ...t, lookedUp } }, label, action);
      stats.set(i, reply.stats);
      return reply;
    });
    if (r.t === 'error') throw unpackError(r.error);
    return r;
  }
  const varbinds = (r: ThreadReply): Varbind[] => (r.t === 'varbinds' ? unpackVarbinds(r.data) : []);

  return {
    async get(t: SnmpTarget, oids: string[]): Promise<Varbind[]> {
      return varbinds(await run(`get ${oids.join(',')}`, { t: 'get', client: id, options: perThread, target: t, oids }));
    },
    async walk(t: SnmpTarget, root: string, opts?: WalkOptions): Promise<Varbind[]> {
      return varbinds(await run(`walk ${root}`, { t: 'walk', client: id, options: perThread, target: t, root, opts }));
    },
    async table(t: SnmpTarget, columns: string[], opts?: WalkOptions): Promise<TableRow[]> {
      const r = await run(`table ${columns.join(',')}`, { t: 'table', client: id, options: perThread, target: t, columns, opts });
      return r.t === 'rows' ? unpackRows(r.data) : [];
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...used].map((i) => pool[i]?.send({ t: 'close', client: id }, 'snmp', 'close').catch(() => undefined)));
      stats.clear();
    },
    stats() {
      const sum: ThreadStats = { sockets: 0, virtualSockets: 0, strayDatagrams: 0, sessions: 0, active: 0, queued: 0, wireBulkRequests: 0 };
      for (const s of stats.values()) for (const k of Object.keys(sum) as (keyof ThreadStats)[]) sum[k] += s[k];
      return { ...sum, active: limiter.active, queued: limiter.queued };
    },
  };
}
