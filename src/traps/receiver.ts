import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import { errorMessage } from '../errors/index.ts';
import { enrichEvent, type VarbindBytes } from './build-event.ts';
import { checkDatagram, type CheckOutcome } from './check.ts';
import { parseListen, type TrapsConfig } from './config.ts';
import { RejectCounters, type RejectReason } from './counters.ts';
import { learnEngine, LocalEngine, MemoryEngineIdStore, type EngineIdStore } from './engine.ts';
import type { DeviceResolver, TrapEvent, Translator } from './event.ts';
import { EngineTimes } from './engine-times.ts';
import { InformDedup, informKey } from './inform-dedup.ts';
import { CheckPool } from './pool.ts';
import { TrapSecurity } from './security.ts';

export interface TrapReceiverOptions {
  config: Pick<TrapsConfig, 'listen' | 'communities' | 'users' | 'engineId' | 'learnEngineIds' | 'allow' | 'maxInFlight' | 'receiveBuffer'> & { workers?: number };
  /**
   * records the trap; an inform is acknowledged only after this resolves (never if it rejects).
   * `bytes`: the OCTET STRINGs' bytes, with `bytesToRecord` (else empty)
   */
  record: (event: TrapEvent, bytes: VarbindBytes) => void | Promise<void>;
  resolveDevice?: DeviceResolver;
  translator?: Translator;
  /** `record` names the events itself (a dictionary that loads later): hand it the bytes display hints format */
  bytesToRecord?: boolean;
  engineStore?: EngineIdStore;
  /** every rejected datagram (reason, source, detail); never carries a secret */
  onReject?: (reason: RejectReason, source: string, detail: string) => void;
  /** operational problems (a worker thread died) */
  onError?: (message: string) => void;
  /** the clock (ms) datagrams are stamped with, and v3 traps' time windows run on; tests move it */
  now?: () => number;
}

type Peer = Pick<RemoteInfo, 'address' | 'port'>;

/**
 * SNMP notification receiver: v1/v2c traps, informs, v3 traps and informs with USM, on any
 * number of IPv4/IPv6 sockets. Decode + USM run inline or, with `workers: N`, on N worker
 * threads; recording, rules and acks stay on the main thread. Nothing a sender can put in a
 * datagram throws out of here.
 */
export class TrapReceiver {
  readonly counters = new RejectCounters();
  readonly local: LocalEngine;
  readonly engines: EngineIdStore;
  private readonly security: TrapSecurity;
  private readonly sockets: Socket[] = [];
  private pool: CheckPool | undefined;
  private inFlight = 0;
  private readonly informs = new InformDedup();
  /** v3 trap senders' engine clocks, on the main thread so every worker's traps meet one table */
  readonly engineTimes = new EngineTimes();
  private readonly now: () => number;
  /** the OCTET STRINGs' bytes are copied out of each datagram only when something formats them */
  private readonly keepBytes: boolean;

  constructor(private readonly opts: TrapReceiverOptions) {
    this.now = opts.now ?? Date.now;
    this.keepBytes = opts.bytesToRecord === true || opts.translator?.formatValue !== undefined;
    this.engines = opts.engineStore ?? new MemoryEngineIdStore();
    this.local = LocalEngine.open(this.engines, opts.config.engineId);
    this.security = new TrapSecurity(opts.config, this.local);
  }

  /** binds every listen address; resolves with the bound addresses (port 0 → the real port) */
  async start(): Promise<{ address: string; port: number }[]> {
    const cfg = this.opts.config;
    if (cfg.workers && cfg.workers > 0) {
      this.pool = new CheckPool(cfg.workers, {
        config: { communities: cfg.communities, users: cfg.users, allow: cfg.allow, learnEngineIds: cfg.learnEngineIds },
        engineId: this.local.engineId.toString('hex'), engineBoots: this.local.engineBoots, startedAt: this.local.startedAt,
        keepBytes: this.keepBytes,
      }, (m) => this.error(m));
      await this.pool.start();
    }
    const listens = (Array.isArray(cfg.listen) ? cfg.listen : [cfg.listen]).map((l) => parseListen(l)!);
    const hasV4 = listens.some((l) => isIP(l.address) !== 6);
    try {
      for (const l of listens) {
        const v6 = isIP(l.address) === 6;
        const sock = createSocket({ type: v6 ? 'udp6' : 'udp4', ipv6Only: v6 && hasV4, recvBufferSize: cfg.receiveBuffer });
        sock.on('message', (buf, rinfo) => this.handle(buf, rinfo, sock));
        sock.on('error', () => undefined); // ICMP errors after a reply: nothing to do
        await new Promise<void>((resolve, reject) => {
          sock.once('error', reject);
          sock.bind(l.port, l.address, () => {
            sock.off('error', reject);
            resolve();
          });
        });
        this.sockets.push(sock);
      }
    } catch (err) {
      await this.stop();
      throw new Error(`traps: cannot listen on ${JSON.stringify(cfg.listen)}: ${errorMessage(err)}`);
    }
    return this.addresses();
  }

  addresses(): { address: string; port: number }[] {
    return this.sockets.map((s) => {
      const a = s.address();
      return { address: a.address, port: a.port };
    });
  }

  async stop(): Promise<void> {
    await Promise.all(this.sockets.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
    await this.pool?.stop();
    this.pool = undefined;
  }

  /** the whole per-datagram path; public so the fuzz test and bench can drive it without sockets */
  handle(buf: Buffer, rinfo: Peer, sock?: Socket): void {
    const receivedAt = this.now();
    this.counters.received++;
    if (this.inFlight >= this.opts.config.maxInFlight) return this.reject('overload', rinfo.address, `${this.inFlight} traps in flight`);
    if (this.pool) {
      this.inFlight++;
      this.pool.dispatch(buf, rinfo, receivedAt, (outcome) => {
        this.inFlight--;
        this.outcome(outcome, rinfo, sock);
      });
      return;
    }
    this.outcome(checkDatagram(this.security, this.local, buf, rinfo, { receivedAt, keepBytes: this.keepBytes }), rinfo, sock);
  }

  private outcome(o: CheckOutcome, rinfo: Peer, sock?: Socket): void {
    if (!o.ok) {
      if (o.reply && sock) {
        sock.send(o.reply, rinfo.port, rinfo.address);
        this.counters.reportsSent++;
      }
      if (o.reason === 'discovery') this.counters.discoveries++;
      else this.reject(o.reason, rinfo.address, o.detail);
      return;
    }
    const event = o.event;
    if (o.clock) {
      const t = this.engineTimes.check(o.clock, event.receivedAt);
      if (!t.ok) return this.reject('not-in-time-window', rinfo.address, t.detail);
    }
    if (o.learn) {
      try {
        learnEngine(this.engines, o.learn, event.receivedAt);
      } catch (err) {
        // the store (SQLite) failed: the trap is still good; a later trap from the engine retries
        this.error(`cannot record learned engine ${o.learn.engineId} of ${o.learn.address}: ${errorMessage(err)}`);
      }
    }
    const key = o.requestId === undefined ? undefined : informKey(event.source.address, event.source.port, event, o.requestId);
    if (key !== undefined) {
      const seen = this.informs.check(key, () => this.ack(o.ack, rinfo, sock), event.receivedAt);
      if (seen === 'full') return this.reject('overload', rinfo.address, `${this.informs.max} informs are being recorded; not acknowledged, so the sender retries`);
      if (seen !== 'new') {
        this.counters.duplicateInforms++;
        if (seen === 'recorded') this.ack(o.ack, rinfo, sock);
        return;
      }
    }
    enrichEvent(event, this.opts.translator, this.opts.resolveDevice, o.bytes, o.claimRefused);
    this.inFlight++;
    let done: void | Promise<void>;
    try {
      done = this.opts.record(event, this.opts.bytesToRecord ? o.bytes : []);
    } catch (err) {
      return this.recordFailed(key, rinfo, err);
    }
    if (done instanceof Promise) {
      done.then(
        () => this.recorded(key, o.ack, rinfo, sock),
        (err) => this.recordFailed(key, rinfo, err),
      );
    } else {
      this.recorded(key, o.ack, rinfo, sock);
    }
  }

  private recorded(key: string | undefined, ack: Uint8Array | undefined, rinfo: Peer, sock?: Socket): void {
    this.inFlight--;
    this.counters.accepted++;
    this.ack(ack, rinfo, sock);
    if (key !== undefined) this.informs.recorded(key, this.now());
  }

  private recordFailed(key: string | undefined, rinfo: Peer, err: unknown): void {
    this.inFlight--;
    if (key !== undefined) this.informs.failed(key);
    this.reject('record-failed', rinfo.address, errorMessage(err));
  }

  private ack(ack: Uint8Array | undefined, rinfo: Peer, sock?: Socket): void {
    if (!ack || !sock) return;
    sock.send(ack, rinfo.port, rinfo.address);
    this.counters.informsAcked++;
  }

  private error(message: string): void {
    try {
      this.opts.onError?.(message);
    } catch {
      // a logging hook must not take the receiver down
    }
  }

  private reject(reason: RejectReason, address: string, detail: string): void {
    this.counters.reject(reason, address);
    try {
      this.opts.onReject?.(reason, address, detail);
    } catch {
      // a logging hook must not take the receiver down
    }
  }
}
