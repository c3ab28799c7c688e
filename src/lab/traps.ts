/**
 * Trap/inform sender: each device notifies in the SNMP version it is configured for
 * (v1 Trap, v2c TrapV2 or InformRequest, v3 TrapV2 authPriv with the device as authoritative engine).
 */
import dgram from 'node:dgram';
import { deriveUserKeys, encodeCommunityMessage, encodeV3, decodeMessage, type WireVarbind } from '../snmp/wire/index.ts';
import { LAB_V3_USERS, type LabDevice } from './network.ts';

export type TrapKind = 'coldStart' | 'warmStart' | 'linkDown' | 'linkUp';
const TRAP_OID: Record<TrapKind, string> = {
  coldStart: '1.3.6.1.6.3.1.1.5.1', warmStart: '1.3.6.1.6.3.1.1.5.2', linkDown: '1.3.6.1.6.3.1.1.5.3', linkUp: '1.3.6.1.6.3.1.1.5.4',
};
const GENERIC: Record<TrapKind, number> = { coldStart: 0, warmStart: 1, linkDown: 2, linkUp: 3 };

export interface TrapStats {
  sent: number;
  informsAcked: number;
  informsTimedOut: number;
  byVersion: Record<'1' | '2c' | '3', number>;
}

export class TrapSender {
  readonly stats: TrapStats = { sent: 0, informsAcked: 0, informsTimedOut: 0, byVersion: { '1': 0, '2c': 0, '3': 0 } };
  private socket: dgram.Socket;
  private requestId = 1;
  private pending = new Map<number, NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly host: string, private readonly port: number, private readonly informEvery = 3) {
    this.socket = dgram.createSocket('udp4');
    this.socket.on('error', () => {});
    this.socket.on('message', (buf) => {
      const r = decodeMessage(buf);
      if (!r.ok || r.value.version === '3' || r.value.pdu.type !== 'Response') return;
      const t = this.pending.get(r.value.pdu.requestId);
      if (t) {
        clearTimeout(t);
        this.pending.delete(r.value.pdu.requestId);
        this.stats.informsAcked++;
      }
    });
    this.socket.bind(0, '127.0.0.1');
  }

  /** sends one notification about `d` (ifIndex for link traps) */
  send(d: LabDevice, kind: TrapKind, now: number, ifIndex?: number): void {
    const uptime = Math.floor((now - d.bootAt) / 10) >>> 0;
    const ifVbs: WireVarbind[] = ifIndex === undefined ? [] : [
      { oid: `1.3.6.1.2.1.2.2.1.1.${ifIndex}`, type: 'Integer', value: ifIndex },
      { oid: `1.3.6.1.2.1.2.2.1.7.${ifIndex}`, type: 'Integer', value: 1 },
      { oid: `1.3.6.1.2.1.2.2.1.8.${ifIndex}`, type: 'Integer', value: kind === 'linkDown' ? 2 : 1 },
      { oid: `1.3.6.1.2.1.2.2.1.2.${ifIndex}`, type: 'OctetString', value: Buffer.from(d.model.ports[ifIndex - 1]?.descr ?? `if${ifIndex}`) },
    ];
    const reqId = (this.requestId = (this.requestId % 2147483646) + 1);
    let buf: Buffer;
    if (d.version === '1') {
      buf = encodeCommunityMessage({
        version: '1', community: Buffer.from(d.community),
        pdu: { type: 'TrapV1', enterprise: d.model.sysObjectID, agentAddr: d.mgmtIp, genericTrap: GENERIC[kind], specificTrap: 0, timestamp: uptime, varbinds: ifVbs },
      });
    } else {
      const varbinds: WireVarbind[] = [
        { oid: '1.3.6.1.2.1.1.3.0', type: 'TimeTicks', value: uptime },
        { oid: '1.3.6.1.6.3.1.1.4.1.0', type: 'OID', value: TRAP_OID[kind] },
        ...ifVbs,
      ];
      if (d.version === '2c') {
        const inform = this.informEvery > 0 && d.index % this.informEvery === 2;
        buf = encodeCommunityMessage({ version: '2c', community: Buffer.from(d.community), pdu: { type: inform ? 'InformRequest' : 'TrapV2', requestId: reqId, errorStatus: 0, errorIndex: 0, varbinds } });
        if (inform) {
          this.pending.set(reqId, setTimeout(() => {
            this.pending.delete(reqId);
            this.stats.informsTimedOut++;
          }, 3000).unref());
        }
      } else {
        const cred = LAB_V3_USERS.find((u) => u.user === d.v3User) ?? LAB_V3_USERS[0];
        buf = encodeV3({
          msgId: reqId, reportable: false, level: cred.level, engineId: d.engineId, engineBoots: d.engineBoots,
          engineTime: Math.floor((now - d.bootAt) / 1000), userName: cred.user, keys: deriveUserKeys(cred, d.engineId),
          scopedPdu: { contextEngineId: d.engineId, contextName: Buffer.alloc(0), pdu: { type: 'TrapV2', requestId: reqId, errorStatus: 0, errorIndex: 0, varbinds } },
        });
      }
    }
    if (this.closed) return;
    this.stats.sent++;
    this.stats.byVersion[d.version]++;
    try {
      this.socket.send(buf, this.port, this.host);
    } catch {
      /* socket closed concurrently */
    }
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
