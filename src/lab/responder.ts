/**
 * Answers SNMP requests for lab devices with the wire codec: GET/GETNEXT/GETBULK over the
 * per-model static index merged with the per-device dynamic index; v1/v2c community checks
 * (wrong community → silence) and v3 USM (reports like a real agent).
 */
import type { V3Credential } from '../model/credentials.ts';
import {
  ERROR_STATUS, buildReport, decodeMessage, deriveUserKeys, encodeCommunityMessage, encodeV3,
  parseOid, unwrapV3, compareOids,
  type Pdu, type ScopedPdu, type UsmErrorKind, type V3Message, type WireVarbind,
} from '../snmp/wire/index.ts';
import { DYNAMIC_SUBTREES, buildDynamic } from './mib-dynamic.ts';
import { FDB_SUBTREES, L2Domains, fdbExact, fdbNext, type FdbTable } from './fdb.ts';
import { findExact, findNext, type MibEntry } from './mib-index.ts';
import { buildStatic } from './mib-static.ts';
import { LAB_V3_USERS, type LabDevice } from './network.ts';

const IFDESCR_ARCS = [1, 3, 6, 1, 2, 1, 2, 2, 1, 2];
const MAX_RESPONSE = 65_000;

export interface ResponderStats {
  requests: number;
  varbinds: number;
  dropped: number;
  malformed: number;
  reports: number;
}

export class Responder {
  readonly stats: ResponderStats = { requests: 0, varbinds: 0, dropped: 0, malformed: 0, reports: 0 };
  private staticByShape = new Map<string, MibEntry[]>();
  private dynamic = new Map<number, MibEntry[]>();
  private usmCounters = new Map<UsmErrorKind, number>();
  private users = new Map<string, V3Credential>();
  private readonly l2: L2Domains;

  constructor(private readonly devices: LabDevice[], private readonly dynamicCacheSize = 1024) {
    for (const u of LAB_V3_USERS) this.users.set(u.user, u);
    this.l2 = new L2Domains(devices);
  }

  /** `d`'s forwarding table (BRIDGE-MIB / Q-BRIDGE-MIB) */
  fdbFor(d: LabDevice): FdbTable {
    return this.l2.table(d);
  }

  staticFor(d: LabDevice): MibEntry[] {
    let s = this.staticByShape.get(d.shapeKey);
    if (!s) {
      s = buildStatic(d.model);
      this.staticByShape.set(d.shapeKey, s);
    }
    return s;
  }

  dynamicFor(d: LabDevice): MibEntry[] {
    let s = this.dynamic.get(d.index);
    if (s) {
      this.dynamic.delete(d.index);
      this.dynamic.set(d.index, s);
      return s;
    }
    s = buildDynamic(d, this.devices);
    if (this.dynamic.size >= this.dynamicCacheSize) this.dynamic.delete(this.dynamic.keys().next().value as number);
    this.dynamic.set(d.index, s);
    return s;
  }

  /** drop cached dynamic rows (after topology-affecting faults) */
  invalidate(d: LabDevice): void {
    this.dynamic.delete(d.index);
  }

  private exact(d: LabDevice, arcs: number[]): MibEntry | undefined {
    const s = this.staticFor(d);
    const i = findExact(s, arcs);
    if (i >= 0) return s[i];
    if (d.model.bridge && FDB_SUBTREES.some((p) => startsWith(arcs, p))) return fdbExact(this.l2, this.fdbFor(d), arcs);
    if (!DYNAMIC_SUBTREES.some((p) => startsWith(arcs, p))) return undefined;
    const y = this.dynamicFor(d);
    const j = findExact(y, arcs);
    return j >= 0 ? y[j] : undefined;
  }

  next(d: LabDevice, arcs: number[]): MibEntry | undefined {
    const s = this.staticFor(d);
    const a = s[findNext(s, arcs)];
    let e = a;
    if (dynamicBetween(arcs, a?.arcs)) {
      const y = this.dynamicFor(d);
      const b = y[findNext(y, arcs)];
      e = !a ? b : !b ? a : compareOids(a.arcs, b.arcs) <= 0 ? a : b;
    }
    if (d.model.bridge && fdbBetween(arcs, e?.arcs)) {
      const f = fdbNext(this.l2, this.fdbFor(d), arcs);
      if (f && (!e || compareOids(f.arcs, e.arcs) < 0)) e = f;
    }
    if (e && d.faults.nonIncreasing && e.arcs.length === 11 && e.arcs[10] >= 3 && compareOids(e.arcs.slice(0, 10), IFDESCR_ARCS) === 0) {
      // fault: jump back to ifDescr.1 (a walk sees a non-increasing OID)
      e = this.exact(d, [...IFDESCR_ARCS, 1]) ?? e;
    }
    return e;
  }

  private value(d: LabDevice, e: MibEntry, now: number): WireVarbind {
    return { oid: e.oid, oidBer: e.ber, type: e.type, value: e.get(d, now) };
  }

  /** processes one PDU; `v1` selects v1 error semantics */
  processPdu(d: LabDevice, pdu: Pdu, v1: boolean, now: number): Pdu {
    const out: WireVarbind[] = [];
    const resp: Pdu = { type: 'Response', requestId: pdu.requestId, errorStatus: 0, errorIndex: 0, varbinds: out };
    const fail = (status: number, index: number): Pdu => ({ ...resp, errorStatus: status, errorIndex: index, varbinds: pdu.varbinds });
    const vbs = pdu.varbinds;
    switch (pdu.type) {
      case 'GetRequest':
        for (let i = 0; i < vbs.length; i++) {
          const arcs = parseOid(vbs[i].oid);
          const e = arcs && this.exact(d, arcs);
          if (e) out.push(this.value(d, e, now));
          else if (v1) return fail(ERROR_STATUS.noSuchName, i + 1);
          else {
            const n = arcs && this.next(d, arcs.slice(0, -1));
            const sameObject = n && arcs && n.arcs.length >= arcs.length && compareOids(n.arcs.slice(0, arcs.length - 1), arcs.slice(0, -1)) === 0;
            out.push({ oid: vbs[i].oid, type: sameObject ? 'NoSuchInstance' : 'NoSuchObject', value: null });
          }
        }
        break;
      case 'GetNextRequest':
        for (let i = 0; i < vbs.length; i++) {
          const arcs = parseOid(vbs[i].oid) ?? [0, 0];
          const e = this.next(d, arcs);
          if (e) out.push(this.value(d, e, now));
          else if (v1) return fail(ERROR_STATUS.noSuchName, i + 1);
          else out.push({ oid: vbs[i].oid, type: 'EndOfMibView', value: null });
        }
        break;
      case 'GetBulkRequest': {
        const nonRep = Math.max(0, Math.min(pdu.errorStatus, vbs.length));
        const maxRep = Math.max(0, Math.min(pdu.errorIndex, 2000));
        for (let i = 0; i < nonRep; i++) {
          const e = this.next(d, parseOid(vbs[i].oid) ?? [0, 0]);
          out.push(e ? this.value(d, e, now) : { oid: vbs[i].oid, type: 'EndOfMibView', value: null });
        }
        const cursors = vbs.slice(nonRep).map((v) => parseOid(v.oid) ?? [0, 0]);
        let size = 0;
        for (let r = 0; r < maxRep && cursors.length > 0 && out.length < 5000; r++) {
          let allEnd = true;
          for (let c = 0; c < cursors.length; c++) {
            const e = this.next(d, cursors[c]);
            if (e) {
              const vb = this.value(d, e, now);
              out.push(vb);
              cursors[c] = e.arcs;
              allEnd = false;
              size += e.ber.length + 8 + (Buffer.isBuffer(vb.value) ? vb.value.length : 10);
            } else out.push({ oid: vbs[nonRep + c].oid, type: 'EndOfMibView', value: null });
          }
          if (allEnd || size > 8000) break;
        }
        break;
      }
      case 'SetRequest':
        return fail(v1 ? ERROR_STATUS.noSuchName : ERROR_STATUS.noAccess, 1);
      default:
        return fail(ERROR_STATUS.genErr, 0);
    }
    this.stats.varbinds += out.length;
    return resp;
  }

  /** handles one datagram for device `d`; returns the reply or undefined for silence */
  handle(d: LabDevice, buf: Buffer, now: number): Buffer | undefined {
    this.stats.requests++;
    const r = decodeMessage(buf);
    if (!r.ok) {
      this.stats.malformed++;
      return undefined;
    }
    const msg = r.value;
    if (msg.version !== '3') {
      if (msg.version !== d.version || msg.pdu.type === 'TrapV1' || !msg.community.equals(Buffer.from(d.community))) {
        this.stats.dropped++;
        return undefined;
      }
      if (msg.version === '1' && msg.pdu.type === 'GetBulkRequest') return undefined;
      if (!isRequest(msg.pdu.type)) return undefined;
      const resp = this.processPdu(d, msg.pdu as Pdu, msg.version === '1', now);
      return fit(resp, (p) => encodeCommunityMessage({ version: msg.version, community: msg.community, pdu: p }));
    }
    if (d.version !== '3') {
      this.stats.dropped++;
      return undefined;
    }
    return this.handleV3(d, msg, now);
  }

  private handleV3(d: LabDevice, msg: V3Message, now: number): Buffer | undefined {
    const local = { engineId: d.engineId, engineBoots: d.engineBoots, engineTime: Math.floor((now - d.bootAt) / 1000) };
    const res = unwrapV3(msg, (name, engineId) => {
      const u = this.users.get(name);
      return u && deriveUserKeys(u, engineId);
    }, local);
    if (!res.ok) {
      if (res.error === 'malformed' || !msg.flags.reportable) return undefined;
      const count = (this.usmCounters.get(res.error) ?? 0) + 1;
      this.usmCounters.set(res.error, count);
      this.stats.reports++;
      const requestId = msg.scopedPdu && msg.scopedPdu.pdu.type !== 'TrapV1' ? msg.scopedPdu.pdu.requestId : 0;
      const signed = res.error === 'notInTimeWindow' && res.keys;
      return encodeV3({
        msgId: msg.msgId, reportable: false, level: signed ? 'authNoPriv' : 'noAuthNoPriv', ...local,
        userName: msg.usm.userName, keys: signed ? res.keys : undefined,
        scopedPdu: buildReport(res.error, count, requestId, d.engineId),
      });
    }
    const sp = res.scopedPdu;
    if (!isRequest(sp.pdu.type)) return undefined;
    const resp = this.processPdu(d, sp.pdu as Pdu, false, now);
    const enc = (p: Pdu) => encodeV3({
      msgId: msg.msgId, msgMaxSize: 65507, reportable: false, level: res.level, ...local,
      userName: msg.usm.userName, keys: res.keys, scopedPdu: { contextEngineId: d.engineId, contextName: sp.contextName, pdu: p } satisfies ScopedPdu,
    });
    return fit(resp, enc, Math.min(msg.msgMaxSize, MAX_RESPONSE));
  }
}

/** shrinks a GETBULK response until it fits, or answers tooBig */
function fit(resp: Pdu, encode: (p: Pdu) => Buffer, max = MAX_RESPONSE): Buffer {
  let out = encode(resp);
  let vbs = resp.varbinds;
  while (out.length > max && vbs.length > 1) {
    vbs = vbs.slice(0, Math.floor(vbs.length / 2));
    out = encode({ ...resp, varbinds: vbs });
  }
  if (out.length > max) out = encode({ ...resp, errorStatus: ERROR_STATUS.tooBig, errorIndex: 0, varbinds: [] });
  return out;
}

function startsWith(arcs: number[], prefix: number[]): boolean {
  if (arcs.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (arcs[i] !== prefix[i]) return false;
  return true;
}

/** does any dynamic subtree intersect the open interval (lo, hi)? (hi undefined = end of MIB) */
const DYNAMIC_ENDS = DYNAMIC_SUBTREES.map((p) => [...p.slice(0, -1), p[p.length - 1] + 1]);

function dynamicBetween(lo: number[], hi: number[] | undefined): boolean {
  for (let i = 0; i < DYNAMIC_SUBTREES.length; i++) {
    if (compareOids(lo, DYNAMIC_ENDS[i]) < 0 && (!hi || compareOids(DYNAMIC_SUBTREES[i], hi) < 0)) return true;
  }
  return false;
}

const FDB_ENDS = FDB_SUBTREES.map((p) => [...p.slice(0, -1), p[p.length - 1] + 1]);

function fdbBetween(lo: number[], hi: number[] | undefined): boolean {
  for (let i = 0; i < FDB_SUBTREES.length; i++) {
    if (compareOids(lo, FDB_ENDS[i]) < 0 && (!hi || compareOids(FDB_SUBTREES[i], hi) < 0)) return true;
  }
  return false;
}

function isRequest(t: string): boolean {
  return t === 'GetRequest' || t === 'GetNextRequest' || t === 'GetBulkRequest' || t === 'SetRequest';
}
