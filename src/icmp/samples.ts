import type { Sample } from '../model/index.ts';
import type { IcmpResult } from './types.ts';

/** The `icmp` measurement of src/model/schema.ts for one device. Hosts that could not be checked still report up=0. */
export function icmpSample(device: string, r: IcmpResult, time: number): Sample {
  const fields: Sample['fields'] = {
    sent: BigInt(r.sent),
    received: BigInt(r.received),
    loss_pct: r.lossPct,
    up: r.up ? 1n : 0n,
  };
  if (r.rttMinMs !== null) fields.rtt_min_ms = r.rttMinMs;
  if (r.rttAvgMs !== null) fields.rtt_avg_ms = r.rttAvgMs;
  if (r.rttMaxMs !== null) fields.rtt_max_ms = r.rttMaxMs;
  if (r.jitterMs !== null) fields.jitter_ms = r.jitterMs;
  return { measurement: 'icmp', tags: { device, address: r.address ?? r.host }, fields, time };
}
