/**
 * Interface counters as closed-form functions of time: the byte rate of each direction is
 * base·(1 + A·sin(2πt/P + φ)), so octets(t) is its integral; packets and errors follow from it.
 * Both ends of a link use the same (link, direction) parameters, so A's out = B's in.
 */
import { portUp, type LabDevice } from './network.ts';
import { unit } from './rng.ts';

export interface PortCounters {
  octets: number;
  ucast: number;
  mcast: number;
  bcast: number;
  errors: number;
  discards: number;
}

const EPOCH_MS = Date.UTC(2026, 0, 1);

const ZERO: PortCounters = { octets: 0, ucast: 0, mcast: 0, bcast: 0, errors: 0, discards: 0 };

function flowKey(d: LabDevice, ifIndex: number, out: boolean): number[] {
  const peer = d.peers.get(ifIndex);
  if (peer) return [peer.link, peer.isA === out ? 0 : 1];
  return [1_000_000 + d.index, ifIndex, out ? 0 : 1];
}

/** counters of one direction since the device's last (simulated) boot */
export function portCounters(d: LabDevice, ifIndex: number, out: boolean, now: number, seed: number): PortCounters {
  const ports = d.model.ports;
  if (ifIndex > ports.length) {
    // loopback: small steady trickle
    const t = Math.max(0, (now - d.bootAt) / 1000);
    const o = Math.floor(t * 120);
    return { octets: o, ucast: Math.floor(o / 100), mcast: 0, bcast: 0, errors: 0, discards: 0 };
  }
  if (!portUp(d, ifIndex) && !d.faults.downPorts.has(ifIndex)) return ZERO;
  const k = flowKey(d, ifIndex, out);
  const speedBps = (d.peers.get(ifIndex)?.speedMbps ?? ports[ifIndex - 1].speedMbps) * 125_000;
  const util = 0.0005 * Math.pow(600, unit(seed, ...k, 11)); // 0.05% .. 30%, log-uniform
  const base = speedBps * util;
  const period = 600 + unit(seed, ...k, 12) * 3000;
  const phase = unit(seed, ...k, 13) * 2 * Math.PI;
  // integral of the rate over wall-clock time since boot, so both ends of a link see equal deltas
  const w = (2 * Math.PI) / period;
  const F = (ms: number) => {
    const t = (ms - EPOCH_MS) / 1000;
    return base * (t - (0.5 / w) * Math.cos(w * t + phase));
  };
  const t = Math.max(0, (now - d.bootAt) / 1000);
  const octets = Math.max(0, Math.floor(F(now) - F(d.bootAt)));
  const pktSize = 300 + unit(seed, ...k, 14) * 1000;
  const pkts = octets / pktSize;
  const errRate = unit(seed, d.index, ifIndex, out ? 15 : 16) < 0.12 ? 0.0002 + unit(seed, d.index, ifIndex, 17) * 0.02 : 0;
  const discRate = unit(seed, d.index, ifIndex, out ? 18 : 19) < 0.2 ? 0.001 + unit(seed, d.index, ifIndex, 20) * 0.05 : 0;
  return {
    octets,
    ucast: Math.floor(pkts * 0.95),
    mcast: Math.floor(pkts * 0.04),
    bcast: Math.floor(pkts * 0.01),
    errors: Math.floor(t * errRate),
    discards: Math.floor(t * discRate),
  };
}

export const wrap32 = (n: number): number => n % 4294967296;
