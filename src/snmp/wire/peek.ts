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
  /** the last `tail` varbinds' OIDs and value tags, in order (fewer when the list is shorter) */
  tail: { oid: string; tag: number }[];
}

/** `scoped`: a plaintext scopedPDU (v3); else a v1/v2c message. `tail`: how many varbinds at the end to read. */
export function peekResponse(buf: Buffer, scoped: boolean, tail = 1): ResponsePeek | undefined {
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
    // start offsets of the last `tail` varbinds, in a ring
    const starts = new Array<number>(tail);
    let varbinds = 0;
    while (list.remaining > 0) {
      starts[varbinds % tail] = list.pos;
      list.skip();
      varbinds++;
    }
    const out: { oid: string; tag: number }[] = [];
    for (let k = Math.max(0, varbinds - tail); k < varbinds; k++) {
      const vb = new BerReader(buf, starts[k % tail], list.end).sequence(TAG.Sequence);
      const oh = vb.header(TAG.OID);
      const oid = decodeOid(vb, oh.start, oh.end);
      vb.pos = oh.end;
      out.push({ oid, tag: vb.peekTag() });
    }
    return { version, community, pduTag, requestId, errorStatus, varbinds, tail: out };
  } catch {
    return undefined;
  }
}
