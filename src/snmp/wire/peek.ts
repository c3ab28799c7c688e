/**
 * A look at a Response before it is decoded: its ids, error-status and where its varbind list
 * ends. A walk sends its next request from the last OID at once and decodes the list while
 * the agent works on that request. Anything unusual gives undefined (the full decoder, which
 * runs anyway, then says what is wrong).
 */
import { BerReader, TAG, decodeOid } from './ber.ts';

export interface ResponsePeek {
  /** v1/v2c messages: msgVersion (0 = v1, 1 = v2c) and community */
  version?: number;
  community?: Buffer;
  pduTag: number;
  requestId: number;
  errorStatus: number;
  varbinds: number;
  /** the last varbind's OID and value tag; undefined for an empty list */
  lastOid?: string;
  lastTag: number;
}

/** `scoped`: a plaintext scopedPDU (v3); else a v1/v2c message. */
export function peekResponse(buf: Buffer, scoped: boolean): ResponsePeek | undefined {
  try {
    const m = new BerReader(buf).sequence(TAG.Sequence);
    let version: number | undefined;
    let community: Buffer | undefined;
    if (scoped) {
      m.octetString(); // contextEngineID
      m.octetString(); // contextName
    } else {
      version = m.integer();
      community = m.octetString();
    }
    const pduTag = m.peekTag();
    const p = m.sequence(pduTag);
    const requestId = p.integer();
    const errorStatus = p.integer();
    p.integer();
    const list = p.sequence(TAG.Sequence);
    let varbinds = 0;
    let last = -1;
    while (list.remaining > 0) {
      last = list.pos;
      list.skip();
      varbinds++;
    }
    if (last < 0) return { version, community, pduTag, requestId, errorStatus, varbinds, lastTag: -1 };
    const vb = new BerReader(buf, last, list.end).sequence(TAG.Sequence);
    const oh = vb.header(TAG.OID);
    const lastOid = decodeOid(vb, oh.start, oh.end);
    vb.pos = oh.end;
    return { version, community, pduTag, requestId, errorStatus, varbinds, lastOid, lastTag: vb.peekTag() };
  } catch {
    return undefined;
  }
}
