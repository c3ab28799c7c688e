import { Worker } from 'node:worker_threads';
import type { CheckOutcome } from './check.ts';
import type { WorkerInit, WorkerTask } from './worker.ts';

type Done = (outcome: CheckOutcome) => void;

interface Slot {
  worker: Worker;
  queue: WorkerTask[];
  pending: Map<number, Done>;
  scheduled: boolean;
  ready: boolean;
  /** exited and not replaced: its datagrams fail at once instead of waiting forever */
  dead: boolean;
}

const WORKER_GONE: CheckOutcome = { ok: false, reason: 'record-failed', detail: 'worker thread exited' };

const WORKER_URL = new URL(`./worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url).href;
// sources run through tsx: register its loader inside the thread before importing the worker
const BOOT = `import('tsx/esm/api').then(({ register }) => { if (${JSON.stringify(WORKER_URL)}.endsWith('.ts')) register(); return import(${JSON.stringify(WORKER_URL)}); })`
  + `.catch((e) => { require('node:worker_threads').parentPort.postMessage({ fatal: String(e && e.stack || e) }); });`;

/**
 * Worker threads for decode + USM. Datagrams are batched per event-loop turn (one
 * postMessage per worker per turn) and round-robined. A worker that dies is replaced; its
 * pending datagrams complete as `record-failed`.
 */
export class CheckPool {
  private readonly slots: Slot[] = [];
  private next = 0;
  private seq = 0;
  private closed = false;

  constructor(private readonly size: number, private readonly init: WorkerInit, private readonly onError: (msg: string) => void) {}

  async start(): Promise<void> {
    await Promise.all(Array.from({ length: this.size }, (_, i) => this.spawn(i)));
  }

  dispatch(buf: Buffer, rinfo: { address: string; port: number }, receivedAt: number, done: Done): void {
    const slot = this.slots[this.next];
    this.next = (this.next + 1) % this.slots.length;
    if (slot.dead) return done(WORKER_GONE);
    const id = ++this.seq;
    slot.pending.set(id, done);
    slot.queue.push({ id, buf, address: rinfo.address, port: rinfo.port, receivedAt });
    this.schedule(slot);
  }

  /** one postMessage per worker per event-loop turn */
  private schedule(slot: Slot): void {
    if (!slot.scheduled) {
      slot.scheduled = true;
      setImmediate(() => {
        slot.scheduled = false;
        const batch = slot.queue;
        slot.queue = [];
        slot.worker.postMessage(batch);
      });
    }
  }

  async stop(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(i: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const worker = new Worker(BOOT, { eval: true, workerData: this.init });
      const slot: Slot = { worker, queue: [], pending: new Map(), scheduled: false, ready: false, dead: false };
      const old = this.slots[i];
      this.slots[i] = slot;
      // datagrams the dead worker never received go to its replacement
      if (old) for (const t of old.queue.splice(0)) slot.queue.push(t), slot.pending.set(t.id, old.pending.get(t.id)!), old.pending.delete(t.id);
      if (slot.queue.length) this.schedule(slot);
      worker.on('message', (m: { results?: { id: number; outcome: CheckOutcome }[]; fatal?: string; ready?: boolean }) => {
        if (m.ready) {
          slot.ready = true;
          resolve();
        }
        else if (m.results) {
          for (const r of m.results) {
            const done = slot.pending.get(r.id);
            slot.pending.delete(r.id);
            done?.(r.outcome);
          }
        } else if (m.fatal) {
          this.onError(`traps: worker failed to load: ${m.fatal}`);
          reject(new Error(`traps: worker failed to load: ${m.fatal}`));
        }
      });
      worker.on('error', (err) => {
        this.onError(`traps: worker ${i} died: ${err.message}`);
        reject(err);
      });
      worker.on('exit', () => {
        const queued = new Set(slot.queue.map((t) => t.id));
        for (const [id, done] of slot.pending) if (!queued.has(id)) slot.pending.delete(id), done(WORKER_GONE);
        // replace a worker that crashed after starting; one that never loaded would only crash again
        if (!this.closed && slot.ready && this.slots[i] === slot) return void this.spawn(i).catch(() => undefined);
        slot.dead = true;
        for (const done of slot.pending.values()) done(WORKER_GONE);
        slot.pending.clear();
        slot.queue.length = 0;
      });
    });
  }
}
