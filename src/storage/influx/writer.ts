/**
 * Samples → line protocol → gzip'd batches (by count or time) → InfluxDB /write.
 *
 * Two modes. `direct`: batches go from memory straight to InfluxDB, two requests at a time.
 * `spooling`: entered when a write fails with a retryable error, when InfluxDB has not been
 * set up yet (unreachable at start-up), when batches pile up in memory (a slow server),
 * or when the spool still holds batches from a previous run. Every new batch is then
 * appended to the on-disk spool (numbered in the order they were cut), and one loop replays
 * the spool oldest-first with jittered exponential backoff; when the spool is empty the writer goes back to `direct`. A batch
 * InfluxDB rejects (400) goes to the quarantine file with the server's message; of a 1.x
 * partial write (the good points stored) only the points it dropped, never re-sent.
 */
import { promisify } from 'node:util';
import { gunzip as gunzipCb, gzip as gzipCb, gzipSync } from 'node:zlib';
import { errorMessage } from '../../errors/index.ts';
import type { Sample } from '../../model/index.ts';
import { toLine, type LineStats } from '../line-protocol.ts';
import type { SeriesWriter, StorageLogger, StorageMetrics } from '../types.ts';
import { InfluxHttp, quoteIdent, quoteString, type WriteOutcome } from './http.ts';
import { BatchBuffer } from './batch-buffer.ts';
import { droppedPoints, isPartialWrite, splitPoints } from './partial-write.ts';
import { Quarantine } from './quarantine.ts';
import { Spool } from './spool.ts';

const gzip = promisify(gzipCb);
const gunzip = promisify(gunzipCb);

export interface InfluxWriterOptions {
  http: InfluxHttp;
  spool: Spool;
  quarantine: Quarantine;
  logger: StorageLogger;
  batchSize: number;
  flushIntervalMs: number;
  /** creates the retention policy with this duration (InfluxQL, e.g. 30d) when missing */
  retentionDuration?: string;
  /** write requests in flight at once in direct mode (default 2) */
  concurrency?: number;
  /** batches allowed to wait in memory before new ones go to the spool */
  maxMemoryBatches?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** batches compressing (or waiting to) on the thread pool at most; beyond it see compressInline() (default 4) */
  maxCompressing?: number;
  /** the off-thread compressor; tests slow it down */
  compress?: (text: Buffer) => Promise<Buffer>;
}

export const DEFAULT_MAX_COMPRESSING = 4;

interface Batch {
  body: Buffer;
  points: number;
  /** production order; becomes the spool row id */
  seq?: number;
}

/** Full-jitter-ish exponential backoff: half fixed, half random, capped. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const d = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(d / 2 + random() * (d / 2));
}

export class InfluxWriter implements SeriesWriter {
  private readonly batch = new BatchBuffer();
  private timer: NodeJS.Timeout | undefined;
  private compressing: Promise<void> = Promise.resolve();
  private compressingPoints = 0;
  private compressingBatches = 0;
  /** batches compressed in write() waiting behind the thread pool's */
  private waitingInline = 0;
  private gzipOverloaded = false;
  private memory: Batch[] = [];
  /** write requests in flight from memory (direct mode) */
  private sending = 0;
  private replaying: Promise<void> | undefined;
  private setupDone = false;
  private closed = false;
  private sleepTimer: { timer: NodeJS.Timeout; wake: () => void } | undefined;
  private readonly lineStats: LineStats = { wrapped: 0, droppedFields: 0 };
  private readonly counts = {
    written: 0, spooled: 0, replayed: 0, dropped: 0, quarantined: 0, invalid: 0, batchesFailed: 0,
  };
  private serverVersion: string | undefined;
  private lastError: string | undefined;
  private downSince: number | undefined;
  /** the last failed write was answered by something other than InfluxDB (a 2xx other than 204) */
  private lastNotInflux = false;
  private readonly idleWaiters: (() => void)[] = [];
  private unreportedDrops = 0;
  private seq: number;
  private lastDropLog = 0;
  private lastDownLog = 0;

  constructor(private readonly opts: InfluxWriterOptions) {
    this.seq = opts.spool.nextId();
    this.startReplay();
  }

  get version(): string | undefined {
    return this.serverVersion;
  }

  write(samples: Sample[]): void {
    try {
      if (this.closed) {
        this.counts.dropped += samples.length;
        return;
      }
      for (const s of samples) {
        let line: string | null = null;
        try {
          line = toLine(s, this.lineStats);
        } catch { /* malformed sample (not an object, fields missing) */ }
        if (line === null) {
          this.counts.invalid++;
          continue;
        }
        this.batch.push(line);
        if (this.batch.lines >= this.opts.batchSize) this.cut();
      }
      if (this.batch.lines > 0 && !this.timer) {
        this.timer = setTimeout(() => this.cut(), this.opts.flushIntervalMs);
        this.timer.unref();
      }
    } catch (err) {
      this.opts.logger.error(`storage: influxdb: write: ${errorMessage(err)}`);
    }
  }

  /** Closes the current batch and compresses it, in order, off the event loop. */
  private cut(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.batch.lines === 0) return;
    const points = this.batch.lines;
    // every body ends with a newline, so spooled gzip members can be concatenated on replay
    const text = this.batch.take();
    const seq = this.seq++;
    if (this.compressingBatches >= (this.opts.maxCompressing ?? DEFAULT_MAX_COMPRESSING)) {
      this.compressInline(text, points, seq);
      return;
    }
    if (this.gzipOverloaded && this.waitingInline === 0) {
      this.gzipOverloaded = false;
      this.opts.logger.info('storage: influxdb: gzip keeps up again; compressing off the event loop');
    }
    const compress = this.opts.compress ?? ((t: Buffer) => gzip(t, { level: 1 }));
    this.compressingPoints += points;
    this.compressingBatches++;
    this.compressing = this.compressing
      .then(() => compress(text))
      .then(
        (body) => this.enqueue({ body, points, seq }),
        (err) => {
          this.counts.dropped += points;
          this.opts.logger.error(`storage: influxdb: gzip ${points} points: ${errorMessage(err)} (points dropped)`);
        },
      )
      .finally(() => {
        this.compressingPoints -= points;
        this.compressingBatches--;
      });
  }

  /**
   * gzip is behind (a burst in one tick, or a busy thread pool). Instead of queueing
   * uncompressed batches without bound, the producer's write() compresses this one itself
   * (back-pressure: the event loop, and so the producers, slow down). Up to
   * `maxMemoryBatches` such batches wait, compressed, behind the ones on the thread pool;
   * beyond that they go to the spool under their sequence number (logged once per episode).
   */
  private compressInline(text: Buffer, points: number, seq: number): void {
    let body: Buffer;
    try {
      body = gzipSync(text, { level: 1 });
    } catch (err) {
      this.dropped(points, `gzip: ${errorMessage(err)}`);
      return;
    }
    const batch = { body, points, seq };
    if (this.waitingInline < (this.opts.maxMemoryBatches ?? 8) || this.opts.spool.maxBytes === 0) {
      this.waitingInline++;
      this.compressingPoints += points;
      this.compressing = this.compressing
        .then(() => this.enqueue(batch))
        .finally(() => {
          this.waitingInline--;
          this.compressingPoints -= points;
        });
      return;
    }
    if (!this.gzipOverloaded) {
      this.gzipOverloaded = true;
      this.opts.logger.warn(
        `storage: influxdb: gzip cannot keep up (${this.compressingBatches} batches compressing, ${this.waitingInline} waiting); spooling new batches to ${this.opts.spool.file} until it does`,
      );
    }
    this.toSpool(batch);
    this.startReplay();
  }

  private get spooling(): boolean {
    return !this.setupDone || this.opts.spool.batches > 0 || this.replaying !== undefined;
  }

  private enqueue(batch: Batch): void {
    if (this.closed || this.spooling || this.memory.length >= (this.opts.maxMemoryBatches ?? 8)) {
      this.toSpool(batch);
      this.startReplay();
      this.notifyIdle();
      return;
    }
    this.memory.push(batch);
    this.pump();
  }

  /** Starts senders up to `concurrency`; each takes the oldest batch in memory. */
  private pump(): void {
    const lanes = this.opts.concurrency ?? 2;
    while (this.sending < lanes && this.memory.length > 0 && !this.spooling) {
      this.sending++;
      void this.sendLoop().finally(() => {
        this.sending--;
        this.notifyIdle();
      });
    }
  }

  private async sendLoop(): Promise<void> {
    while (this.memory.length > 0 && !this.spooling) {
      const batch = this.memory.shift()!;
      const outcome = await this.opts.http.write(batch.body);
      if (outcome.ok) {
        this.counts.written += batch.points;
        this.markUp();
      } else if (outcome.action === 'retry') {
        this.failed(outcome);
        // this batch and everything behind it go to the spool, in order
        this.toSpool(batch);
        for (const b of this.memory.splice(0)) this.toSpool(b);
        if (outcome.missingDatabase) this.setupDone = false;
        this.startReplay();
      } else {
        await this.handleBadBatch(batch, outcome);
      }
    }
    // stragglers left when the mode flipped to spooling
    if (this.spooling) for (const b of this.memory.splice(0)) this.toSpool(b);
  }

  private toSpool(batch: Batch): void {
    const spool = this.opts.spool;
    if (spool.maxBytes === 0) {
      this.dropped(batch.points, 'the spool is disabled (storage.influx.spool.enabled: false)');
      return;
    }
    if (batch.body.length > spool.maxBytes) {
      this.dropped(batch.points, `a batch of ${batch.body.length} bytes does not fit in the spool (maxBytes ${spool.maxBytes})`);
      return;
    }
    try {
      const dropped = spool.append(batch.body, batch.points, batch.seq);
      this.counts.spooled += batch.points;
      if (dropped > 0) this.dropped(dropped, `spool full (${spool.maxBytes} bytes): the oldest points were dropped; raise storage.influx.spool.maxBytes or bring InfluxDB back`);
    } catch (err) {
      this.dropped(batch.points, `append: ${errorMessage(err)}`);
    }
  }

  /** Counts lost points and says so loudly: at once for the first loss, then at most every 10 s. */
  private dropped(points: number, why: string): void {
    this.counts.dropped += points;
    this.unreportedDrops += points;
    const now = Date.now();
    if (now - this.lastDropLog < 10_000) return;
    this.lastDropLog = now;
    this.opts.logger.error(
      `storage: influxdb spool ${this.opts.spool.file}: ${why}: DROPPED ${this.unreportedDrops} points (${this.counts.dropped} dropped in total)`,
    );
    this.unreportedDrops = 0;
  }

  private failed(outcome: Extract<WriteOutcome, { ok: false }>): void {
    this.counts.batchesFailed++;
    const first = this.downSince === undefined;
    this.downSince ??= Date.now();
    const line = `storage: influxdb ${this.opts.http.url}: write: ${outcome.message}; spooling to ${this.opts.spool.file} and retrying`;
    // not an outage but a wrong URL or a proxy: an error, said again whenever the answer changes;
    // an outage is warned of when it starts, also right after such answers
    if (outcome.notInflux) {
      if (outcome.message !== this.lastError) this.opts.logger.error(line);
    } else if (first || this.lastNotInflux) {
      this.opts.logger.warn(line);
    }
    this.lastError = outcome.message;
    this.lastNotInflux = outcome.notInflux === true;
    this.notifyIdle();
  }

  private reportStillDown(): void {
    const now = Date.now();
    if (this.downSince === undefined || now - this.downSince < 60_000 || now - this.lastDownLog < 60_000) return;
    this.lastDownLog = now;
    const spool = this.opts.spool;
    this.opts.logger.warn(
      `storage: influxdb ${this.opts.http.url}: still failing after ${Math.round((now - this.downSince) / 1000)} s (${this.lastError}); spool holds ${spool.points} points, ${spool.bytes} of ${spool.maxBytes} bytes`,
    );
  }

  private markUp(): void {
    if (this.downSince !== undefined) {
      this.opts.logger.info(`storage: influxdb ${this.opts.http.url}: writes succeed again after ${Math.round((Date.now() - this.downSince) / 1000)} s`);
    }
    this.downSince = undefined;
    this.lastError = undefined;
    this.lastNotInflux = false;
  }

  /**
   * 400 (quarantine) or 413 (split in halves and resend). A 1.x partial write stored the good
   * points: only the dropped ones are quarantined, when the server's message names them all.
   */
  private async handleBadBatch(batch: Batch, outcome: Extract<WriteOutcome, { ok: false }>): Promise<void> {
    let text: string;
    try {
      text = (await gunzip(batch.body)).toString('utf8');
    } catch (err) {
      // a damaged spool row: it cannot be read back, so it cannot be kept either
      this.dropped(batch.points, `a batch rejected (${outcome.message}) cannot be decompressed: ${errorMessage(err)}`);
      return;
    }
    const points = splitPoints(text);
    if (outcome.action === 'too-large' && points.length > 1) {
      const half = Math.ceil(points.length / 2);
      for (const part of [points.slice(0, half), points.slice(half)]) {
        const sub: Batch = { body: await gzip(part.join('\n') + '\n', { level: 1 }), points: part.length, seq: this.seq++ };
        const res = await this.opts.http.write(sub.body);
        if (res.ok) this.counts.written += sub.points;
        else if (res.action === 'retry') {
          this.failed(res);
          this.toSpool(sub);
          this.startReplay();
        } else await this.handleBadBatch(sub, res);
      }
      return;
    }
    const partial = outcome.error !== undefined && isPartialWrite(outcome.error);
    const bad = partial ? droppedPoints(outcome.error!, points) : undefined;
    const kept = bad ? points.filter((_, i) => bad.has(i)) : points;
    if (bad) this.counts.written += points.length - kept.length;
    this.counts.quarantined += kept.length;
    this.counts.batchesFailed++;
    const stored = !partial ? '' : bad ? `; the other ${points.length - kept.length} were stored`
      : '; InfluxDB stored the good ones (which, its message does not say: all are kept, replaying them is harmless)';
    this.opts.logger.error(
      `storage: influxdb ${this.opts.http.url}: write rejected: ${outcome.message}; ${kept.length} points kept in ${this.opts.quarantine.file}${stored}`,
    );
    try {
      this.opts.quarantine.add({ status: outcome.status, error: outcome.message, points: kept.length, lines: kept.join('\n') });
    } catch (err) {
      this.counts.dropped += kept.length;
      this.opts.logger.error(`storage: influxdb quarantine ${this.opts.quarantine.file}: ${errorMessage(err)}: DROPPED ${kept.length} points`);
    }
  }

  private startReplay(): void {
    if (this.replaying || this.closed) return;
    this.replaying = this.replayLoop().finally(() => {
      this.replaying = undefined;
      this.notifyIdle();
      // batches that arrived while the loop was finishing
      if (!this.closed && this.opts.spool.batches > 0) this.startReplay();
      else this.pump();
    });
  }

  private async replayLoop(): Promise<void> {
    try {
      await this.replayBatches();
    } catch (err) {
      // the spool itself failed (I/O error, closed at shutdown): the rows stay where they are
      if (!this.closed) this.opts.logger.error(`storage: influxdb spool ${this.opts.spool.file}: replay: ${errorMessage(err)}`);
    }
  }

  private async replayBatches(): Promise<void> {
    // requests still in flight from memory settle first (written, or spooled in their place)
    while (this.sending > 0) await new Promise((r) => setTimeout(r, 5));
    let attempt = 0;
    const spool = this.opts.spool;
    while (!this.closed) {
      if (!this.setupDone) {
        try {
          await this.setup();
          attempt = 0;
        } catch (err) {
          this.failed({ ok: false, action: 'retry', message: (err as { reason?: string }).reason ?? errorMessage(err) });
          this.reportStillDown();
          await this.sleep(backoffDelay(attempt++, this.opts.backoffBaseMs ?? 250, this.opts.backoffMaxMs ?? 10_000));
          continue;
        }
      }
      const batches = spool.peekMany(16, 8 * 1024 * 1024);
      if (batches.length === 0) return;
      if (batches.length > 1) {
        // several spooled batches in one request: concatenated gzip members are one stream
        const merged = await this.opts.http.write(Buffer.concat(batches.map((b) => b.body)));
        if (merged.ok) {
          const points = spool.removeMany(batches.map((b) => b.id));
          this.counts.written += points;
          this.counts.replayed += points;
          this.markUp();
          attempt = 0;
          this.notifyIdle();
          continue;
        }
        if (merged.action === 'retry') {
          this.failed(merged);
          if (merged.missingDatabase) this.setupDone = false;
          await this.sleep(backoffDelay(attempt++, this.opts.backoffBaseMs ?? 250, this.opts.backoffMaxMs ?? 10_000));
          continue;
        }
        if (merged.action === 'reject' && merged.error !== undefined && isPartialWrite(merged.error)) {
          // the good points of every batch are stored: never send them again
          const writtenBefore = this.counts.written;
          await this.handleBadBatch({ body: Buffer.concat(batches.map((b) => b.body)), points: batches.reduce((n, b) => n + b.points, 0) }, merged);
          spool.removeMany(batches.map((b) => b.id));
          this.counts.replayed += this.counts.written - writtenBefore;
          this.notifyIdle();
          continue;
        }
        // rejected whole (nothing stored): find the bad batch by sending them one at a time
      }
      const batch = batches[0];
      const outcome = await this.opts.http.write(batch.body);
      if (outcome.ok) {
        spool.remove(batch.id);
        this.counts.written += batch.points;
        this.counts.replayed += batch.points;
        this.markUp();
        attempt = 0;
        this.notifyIdle();
      } else if (outcome.action === 'retry') {
        this.failed(outcome);
        if (outcome.missingDatabase) this.setupDone = false;
        this.reportStillDown();
        await this.sleep(backoffDelay(attempt++, this.opts.backoffBaseMs ?? 250, this.opts.backoffMaxMs ?? 10_000));
      } else {
        await this.handleBadBatch(batch, outcome);
        spool.remove(batch.id);
      }
    }
  }

  /** Creates the database (and retention policy) when missing; InfluxDB 2.x/3.x may refuse: then it must exist already. */
  private async setup(): Promise<void> {
    const { http, logger } = this.opts;
    this.serverVersion = await http.ping();
    const db = http.conn.database;
    try {
      await http.query(`CREATE DATABASE ${quoteIdent(db)}`, { write: true });
      const rp = http.conn.retentionPolicy;
      if (rp && this.opts.retentionDuration) {
        const res = await http.query(`SHOW RETENTION POLICIES ON ${quoteIdent(db)}`);
        const names: string[] = (res[0]?.series?.[0]?.values ?? []).map((v: unknown[]) => String(v[0]));
        if (!names.includes(rp)) {
          await http.query(
            `CREATE RETENTION POLICY ${quoteIdent(rp)} ON ${quoteIdent(db)} DURATION ${this.opts.retentionDuration} REPLICATION 1`,
            { write: true },
          );
          logger.info(`storage: influxdb: created retention policy ${rp} (${this.opts.retentionDuration}) on ${db}`);
        }
      }
    } catch (err) {
      const e = err as { kind?: string };
      if (e.kind === 'network' || e.kind === 'server') throw err;
      logger.warn(`storage: influxdb ${http.url}: could not create database ${quoteString(db)} (${errorMessage(err)}); assuming it exists`);
    }
    this.setupDone = true;
    logger.info(`storage: influxdb ${http.url} (version ${this.serverVersion}), database ${db}`);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => { this.sleepTimer = undefined; resolve(); }, ms);
      this.sleepTimer = { timer, wake: resolve };
    });
  }

  private notifyIdle(): void {
    if (this.isIdle()) for (const w of this.idleWaiters.splice(0)) w();
  }

  /** nothing in memory, and either everything delivered or InfluxDB known to be down (so it is all in the spool) */
  private isIdle(): boolean {
    return this.batch.lines === 0 && this.compressingPoints === 0 && this.memory.length === 0 && this.sending === 0
      && (this.closed || this.downSince !== undefined || (this.opts.spool.batches === 0 && this.replaying === undefined));
  }

  /**
   * Resolves when every point written so far is in InfluxDB, or in the spool when InfluxDB
   * is failing; at the latest after `timeoutMs`.
   */
  async flush(timeoutMs = 10_000): Promise<void> {
    this.cut();
    await this.compressing;
    if (this.isIdle()) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, timeoutMs);
      this.idleWaiters.push(() => { clearTimeout(t); resolve(); });
    });
  }

  /** Writes what it can within a few seconds; whatever is left stays in the spool for the next start. */
  async close(timeoutMs = 5_000): Promise<void> {
    if (this.closed) return;
    this.cut();
    await this.compressing;
    if (!this.spooling) await this.flush(timeoutMs);
    this.closed = true;
    for (const b of this.memory.splice(0)) this.toSpool(b);
    if (this.sleepTimer) {
      clearTimeout(this.sleepTimer.timer);
      this.sleepTimer.wake();
    }
    const inflight = this.replaying;
    const settled = inflight
      ? await Promise.race([inflight.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), timeoutMs).unref())])
      : true;
    while (this.sending > 0) await new Promise((r) => setTimeout(r, 10));
    for (const b of this.memory.splice(0)) this.toSpool(b);
    // a request still in flight removes its row when it returns: close the spool after it
    if (settled) this.opts.spool.close();
    else void inflight!.finally(() => this.opts.spool.close());
  }

  metrics(): StorageMetrics {
    return {
      backend: 'influxdb',
      healthy: this.lastError === undefined && this.setupDone,
      detail: this.lastError ?? (this.setupDone ? `influxdb ${this.serverVersion}` : 'connecting'),
      pointsWritten: this.counts.written,
      pointsSpooled: this.counts.spooled,
      pointsReplayed: this.counts.replayed,
      pointsDropped: this.counts.dropped,
      pointsQuarantined: this.counts.quarantined,
      pointsInvalid: this.counts.invalid,
      batchesFailed: this.counts.batchesFailed,
      integersWrapped: this.lineStats.wrapped,
      spoolPoints: this.opts.spool.points,
      spoolBytes: this.opts.spool.bytes,
      pendingPoints: this.batch.lines + this.compressingPoints + this.memory.reduce((n, b) => n + b.points, 0),
    };
  }
}
