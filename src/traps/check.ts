import { encodeInformAck } from './ack.ts';
import { buildTrapEvent, claimedAddress, type VarbindBytes } from './build-event.ts';
import type { RejectReason } from './counters.ts';
import type { LocalEngine } from './engine.ts';
import type { EngineClock } from './engine-times.ts';
import type { TrapEvent } from './event.ts';
import type { Accepted, TrapSecurity } from './security.ts';

/** The outcome of the CPU-heavy part (decode, USM, event) — plain data, so a worker thread can return it. */
export type CheckOutcome =
  /**
   * `ack` and `requestId` for an inform; `clock`: an authenticated v3 trap's sender engine clock, for its time window;
   * `claimRefused`: its claimed originator address is outside the allow-lists, so it does not pick the device;
   * `learn`: the sender engine ID to record once the trap passed its time window (`learnEngine`)
   */
  | { ok: true; event: TrapEvent; bytes: VarbindBytes; ack?: Uint8Array; requestId?: number; clock?: EngineClock; claimRefused?: true; learn?: Accepted['learn'] }
  | { ok: false; reason: RejectReason | 'discovery'; detail: string; reply?: Uint8Array };

/** how to build the event: when the datagram arrived (ms), and whether a dictionary will format its OCTET STRINGs' bytes */
export interface CheckOptions { receivedAt: number; keepBytes: boolean }

export function checkDatagram(security: TrapSecurity, local: LocalEngine, buf: Buffer, rinfo: { address: string; port: number }, o: CheckOptions): CheckOutcome {
  try {
    const r = security.check(buf, rinfo.address);
    if (!r.ok) return { ok: false, reason: r.reason, detail: r.detail, reply: r.reply };
    const built = buildTrapEvent(r.value, rinfo, o.receivedAt, undefined, o.keepBytes);
    if (!built.ok) return { ok: false, reason: 'malformed', detail: built.detail };
    const claimed = claimedAddress(built.event);
    const ok = { ok: true as const, event: built.event, bytes: built.bytes, ...(claimed === undefined || security.claimAllowed(r.value, claimed) ? {} : { claimRefused: true as const }) };
    const pdu = r.value.pdu;
    if (pdu.type !== 'InformRequest') return { ...ok, clock: r.value.senderClock, learn: r.value.learn };
    // the ack is encoded now (the PDU's buffers are views into `buf`) but sent only after recording
    return { ...ok, ack: encodeInformAck(r.value, local), requestId: pdu.requestId };
  } catch (err) {
    // the codec promises not to throw; if it ever does, it is still just a bad datagram
    return { ok: false, reason: 'malformed', detail: `internal: ${(err as Error).message}` };
  }
}
