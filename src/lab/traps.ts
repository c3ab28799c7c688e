/**
 * Trap/inform sender: each device notifies in the SNMP version it is configured for.
 * v1 → Trap; v2c → TrapV2, or InformRequest on every third device; v3 → TrapV2 with the device
 * as authoritative engine, or (every third device) an InformRequest after discovering the
 * receiver's engine ID, boots and time (RFC 3414 §4), as real agents do.
 */
import dgram from 'node:dgram';
import { decodeMessage, deriveUserKeys, discoveryRequest, encodeCommunityMessage, encodeV3, type WireVarbind } from '../snmp/wire/index.ts';
import { LAB_V3_USERS, type LabDevice } from './network.ts';

export type TrapKind = 'coldStart' | 'warmStart' | 'linkDown' | 'linkUp';
const TRAP_OID: Record<TrapKind, string> = {
  coldStart: '1.3.6.1.6.3.1.1.5.1', warmStart: '1.3.6.1.6.3.1.1.5.2', linkDown: '1.3.6.1.6.3.1.1.5.3', linkUp: '1.3.6.1.6.3.1.1.5.4',
};
const GENERIC: Record<TrapKind, number> = { coldStart: 0, warmStart: 1, linkDown: 2, linkUp: 3 };
const INFORM_TIMEOUT_MS = 3000;

export interface TrapStats {
  sent: number;
  informsAcked: number;
  informsTimedOut: number;
  byVersion: Record<'1' | '2c' | '3', number>;
}

interface ReceiverEngine {
  engineId: Buffer;
  boots: number;
  time: number;
  at: number;
}

export class TrapSender {
  readonly stats: TrapStats = { sent: 0, informsAcked: 0, informsTimedOut: 0, byVersion: { '1': 0, '2c': 0, '3': 0 } };
  private socket: dgram.Socket;
  private requestId = 1;
  /** informs awaiting a Response, by request ID (v1/v2c) or msgID (v3) */
  private pending = new Map<number, NodeJS.Timeout>();
  private closed = false;
  private receiver: ReceiverEngine | undefined;
  private discovering: { msgId: number; queue: ((e: ReceiverEngine | undefined) => void)[] } | undefined;

  /**
   * `sourceOf` gives a device's own agent socket: a notification then leaves from the device's
   * address, as a real device's does, so the receiver can tell who sent it. Replies to informs
   * arrive on that socket and are handed back through `receive`.
   */
  constructor(
    readonly host: string,
    readonly port: number,
    private readonly informEvery = 3,
    private readonly sourceOf: (d: LabDevice) => dgram.Socket | undefined = () => undefined,
  ) {
    this.socket = dgram.createSocket('udp4');
    this.socket.on('error', () => {});
    this.socket.on('message', (buf) => this.receive(buf));
    this.socket.bind(0, '127.0.0.1');
  }

  /** true when a datagram from `address:port` is the receiver's (an inform's Response or Report) */
  isReceiver(address: string, port: number): boolean {
    return port === this.port && address === this.host;
  }

  receive(buf: Buffer): void {
    const r = decodeMessage(buf);
    if (!r.ok) return;
    const m = r.value;
    if (m.version !== '3') {
      if (m.pdu.type === 'Response') this.ack(m.pdu.requestId);
      return;
    }
    if (this.discovering && m.msgId === this.discovering.msgId && m.usm.engineId.length > 0) {
      this.receiver = { engineId: Buffer.from(m.usm.engineId), boots: m.usm.engineBoots, time: m.usm.engineTime, at: Date.now() };
      const q = this.discovering.queue;
      this.discovering = undefined;
      for (const f of q) f(this.receiver);
      return;
    }
    // the msgID is plaintext, so an authenticated Response is matched without decrypting it
    if (m.scopedPdu?.pdu.type === 'Report') this.receiver = undefined; // e.g. notInTimeWindow: rediscover next time
    else this.ack(m.msgId);
  }

  private ack(id: number): void {
    const t = this.pending.get(id);
    if (!t) return;
    clearTimeout(t);
    this.pending.delete(id);
    this.stats.informsAcked++;
  }

  private expectAck(id: number): void {
    this.pending.set(id, setTimeout(() => {
      this.pending.delete(id);
      this.stats.informsTimedOut++;
    }, INFORM_TIMEOUT_MS).unref());
  }

  private nextId(): number {
    return (this.requestId = (this.requestId % 2147483646) + 1);
  }

  /** the receiver's engine (discovered once, then its time is extrapolated) */
  private withReceiverEngine(f: (e: ReceiverEngine | undefined) => void): void {
    if (this.receiver) return f(this.receiver);
    if (this.discovering) {
      this.discovering.queue.push(f);
      return;
    }
    const msgId = this.nextId();
    this.discovering = { msgId, queue: [f] };
    this.transmit(encodeV3(discoveryRequest(msgId, this.nextId())));
    setTimeout(() => {
      if (this.discovering?.msgId !== msgId) return;
      const q = this.discovering.queue;
      this.discovering = undefined;
      for (const g of q) g(undefined);
    }, INFORM_TIMEOUT_MS).unref();
  }

  private transmit(buf: Buffer, from?: LabDevice): void {
    if (this.closed) return;
    try {
      ((from && this.sourceOf(from)) ?? this.socket).send(buf, this.port, this.host);
    } catch {
      /* socket closed concurrently */
    }
  }

  /** sends one notification about `d` (ifIndex for link traps) */
  send(d: LabDevice, kind: TrapKind, now: number, ifIndex?: number): void {
    if (this.closed) return;
    const uptime = Math.floor((now - d.bootAt) / 10) >>> 0;
    const ifVbs: WireVarbind[] = ifIndex === undefined ? [] : [
      { oid: `1.3.6.1.2.1.2.2.1.1.${ifIndex}`, type: 'Integer', value: ifIndex },
      { oid: `1.3.6.1.2.1.2.2.1.7.${ifIndex}`, type: 'Integer', value: 1 },
      { oid: `1.3.6.1.2.1.2.2.1.8.${ifIndex}`, type: 'Integer', value: kind === 'linkDown' ? 2 : 1 },
      { oid: `1.3.6.1.2.1.2.2.1.2.${ifIndex}`, type: 'OctetString', value: Buffer.from(d.model.ports[ifIndex - 1]?.descr ?? `if${ifIndex}`) },
    ];
    this.stats.sent++;
    this.stats.byVersion[d.version]++;
    const reqId = this.nextId();
    if (d.version === '1') {
      this.transmit(encodeCommunityMessage({
        version: '1', community: Buffer.from(d.community),
        pdu: { type: 'TrapV1', enterprise: d.model.sysObjectID, agentAddr: d.mgmtIp, genericTrap: GENERIC[kind], specificTrap: 0, timestamp: uptime, varbinds: ifVbs },
      }), d);
      return;
    }
    const varbinds: WireVarbind[] = [
      { oid: '1.3.6.1.2.1.1.3.0', type: 'TimeTicks', value: uptime },
      { oid: '1.3.6.1.6.3.1.1.4.1.0', type: 'OID', value: TRAP_OID[kind] },
      ...ifVbs,
    ];
    const inform = this.informEvery > 0 && d.index % this.informEvery === 2;
    const pdu = { type: inform ? 'InformRequest' : 'TrapV2', requestId: reqId, errorStatus: 0, errorIndex: 0, varbinds } as const;
    if (d.version === '2c') {
      if (inform) this.expectAck(reqId);
      this.transmit(encodeCommunityMessage({ version: '2c', community: Buffer.from(d.community), pdu }), d);
      return;
    }
    const cred = LAB_V3_USERS.find((u) => u.user === d.v3User) ?? LAB_V3_USERS[0];
    if (!inform) {
      this.transmit(encodeV3({
        msgId: reqId, reportable: false, level: cred.level, engineId: d.engineId, engineBoots: d.engineBoots,
        engineTime: Math.floor((now - d.bootAt) / 1000), userName: cred.user, keys: deriveUserKeys(cred, d.engineId),
        scopedPdu: { contextEngineId: d.engineId, contextName: Buffer.alloc(0), pdu },
      }), d);
      return;
    }
    this.withReceiverEngine((e) => {
      if (!e) {
        this.stats.informsTimedOut++;
        return;
      }
      this.expectAck(reqId);
      this.transmit(encodeV3({
        msgId: reqId, reportable: true, level: cred.level, engineId: e.engineId, engineBoots: e.boots,
        engineTime: e.time + Math.floor((Date.now() - e.at) / 1000), userName: cred.user, keys: deriveUserKeys(cred, e.engineId),
        scopedPdu: { contextEngineId: d.engineId, contextName: Buffer.alloc(0), pdu },
      }), d);
    });
  }

  close(): void {
    this.closed = true;
    for (const t of this.pending.values()) clearTimeout(t);
    this.pending.clear();
    try {
      this.socket.close();
    } catch {
      /* already closed */
    }
  }
}
