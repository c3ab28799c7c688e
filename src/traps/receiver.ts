import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import { encodeCommunityMessage, encodeV3 } from '../snmp/wire/index.ts';
import { errorMessage } from '../errors/index.ts';
import { buildTrapEvent } from './build-event.ts';
import { parseListen, type TrapsConfig } from './config.ts';
import { RejectCounters, type RejectReason } from './counters.ts';
import { LocalEngine, MemoryEngineIdStore, type EngineIdStore } from './engine.ts';
import type { DeviceResolver, TrapEvent, Translator } from './event.ts';
import { TrapSecurity, type Accepted } from './security.ts';

export interface TrapReceiverOptions {
  config: Pick<TrapsConfig, 'listen' | 'communities' | 'users' | 'engineId' | 'learnEngineIds' | 'allow' | 'maxInFlight' | 'receiveBuffer'>;
  /** records the trap; an inform is acknowledged only after this resolves (never if it rejects) */
  record: (event: TrapEvent) => void | Promise<void>;
  resolveDevice?: DeviceResolver;
  translator?: Translator;
  engineStore?: EngineIdStore;
  /** every rejected datagram (reason, source, detail); never carries a secret */
  onReject?: (reason: RejectReason, source: string, detail: string) => void;
}

/**
 * SNMP notification receiver: v1/v2c traps, informs, v3 traps and informs with USM, on any
 * number of IPv4/IPv6 sockets. Decoding and checks run synchronously per datagram; nothing
 * a sender can put in a datagram throws out of here.
 */
export class TrapReceiver {
  readonly counters = new RejectCounters();
  readonly local: LocalEngine;
  readonly engines: EngineIdStore;
  private readonly security: TrapSecurity;
  private readonly sockets: Socket[] = [];
  private inFlight = 0;

  constructor(private readonly opts: TrapReceiverOptions) {
    this.engines = opts.engineStore ?? new MemoryEngineIdStore();
    this.local = new LocalEngine(this.engines, opts.config.engineId);
    this.security = new TrapSecurity(opts.config, this.local, this.engines);
  }

  /** binds every listen address; resolves with the bound addresses (port 0 → the real port) */
  async start(): Promise<{ address: string; port: number }[]> {
    const listens = (Array.isArray(this.opts.config.listen) ? this.opts.config.listen : [this.opts.config.listen]).map((l) => parseListen(l)!);
    const hasV4 = listens.some((l) => isIP(l.address) !== 6);
    try {
      for (const l of listens) {
        const v6 = isIP(l.address) === 6;
        const sock = createSocket({ type: v6 ? 'udp6' : 'udp4', ipv6Only: v6 && hasV4, recvBufferSize: this.opts.config.receiveBuffer });
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
      throw new Error(`traps: cannot listen on ${JSON.stringify(this.opts.config.listen)}: ${errorMessage(err)}`);
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
  }

  /** the whole per-datagram path; public so the fuzz test and bench can drive it without sockets */
  handle(buf: Buffer, rinfo: Pick<RemoteInfo, 'address' | 'port'>, sock?: Socket): void {
    const c = this.counters;
    c.received++;
    if (this.inFlight >= this.opts.config.maxInFlight) return this.reject('overload', rinfo.address, `${this.inFlight} traps being recorded`);
    let accepted: Accepted;
    try {
      const r = this.security.check(buf, rinfo.address);
      if (!r.ok) {
        if (r.reply && sock) {
          sock.send(r.reply, rinfo.port, rinfo.address);
          c.reportsSent++;
        }
        if (r.reason === 'discovery') c.discoveries++;
        else this.reject(r.reason, rinfo.address, r.detail);
        return;
      }
      accepted = r.value;
    } catch (err) {
      // the codec promises not to throw; if it ever does, it is still just a bad datagram
      return this.reject('malformed', rinfo.address, `internal: ${errorMessage(err)}`);
    }
    const built = buildTrapEvent(accepted, rinfo, Date.now(), this.opts.translator, this.opts.resolveDevice);
    if (!built.ok) return this.reject('malformed', rinfo.address, built.detail);
    this.inFlight++;
    let done: void | Promise<void>;
    try {
      done = this.opts.record(built.event);
    } catch (err) {
      this.inFlight--;
      return this.reject('record-failed', rinfo.address, errorMessage(err));
    }
    if (done instanceof Promise) {
      done.then(
        () => this.recorded(accepted, rinfo, sock),
        (err) => {
          this.inFlight--;
          this.reject('record-failed', rinfo.address, errorMessage(err));
        },
      );
    } else {
      this.recorded(accepted, rinfo, sock);
    }
  }

  private recorded(a: Accepted, rinfo: Pick<RemoteInfo, 'address' | 'port'>, sock?: Socket): void {
    this.inFlight--;
    this.counters.accepted++;
    if (a.pdu.type !== 'InformRequest' || !sock) return;
    try {
      sock.send(this.ack(a), rinfo.port, rinfo.address);
      this.counters.informsAcked++;
    } catch (err) {
      this.reject('record-failed', rinfo.address, `inform ack: ${errorMessage(err)}`);
    }
  }

  /** the Response to an inform: same request-id and varbinds (RFC 3416 §4.2.7) */
  private ack(a: Accepted): Buffer {
    const pdu = a.pdu as Extract<Accepted['pdu'], { requestId: number }>;
    const response = { type: 'Response' as const, requestId: pdu.requestId, errorStatus: 0, errorIndex: 0, varbinds: pdu.varbinds };
    if (a.version !== '3') return encodeCommunityMessage({ version: '2c', community: a.communitySecret!, pdu: response });
    const v3 = a.v3!;
    const local = this.local.snapshot();
    return encodeV3({
      msgId: v3.msgId,
      reportable: false,
      level: v3.level,
      engineId: local.engineId,
      engineBoots: local.engineBoots,
      engineTime: local.engineTime,
      userName: v3.userName,
      keys: v3.keys,
      scopedPdu: { contextEngineId: a.contextEngineId ?? local.engineId, contextName: Buffer.from(a.contextName ?? ''), pdu: response },
    });
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
