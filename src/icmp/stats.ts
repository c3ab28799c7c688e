import type { Resolved } from './resolve.ts';
import type { IcmpResult } from './types.ts';

/** Builds a result from per-probe RTTs (null = lost). */
export function summarize(
  host: string,
  address: string | undefined,
  rtts: (number | null)[],
  extra: { sent?: number; duplicates?: number; icmpErrors?: string[]; error?: string } = {},
): IcmpResult {
  const got = rtts.filter((r): r is number => r !== null);
  const sent = extra.sent ?? rtts.length;
  const received = got.length;
  let jitter: number | null = null;
  if (got.length >= 2) {
    let sum = 0;
    for (let i = 1; i < got.length; i++) sum += Math.abs(got[i] - got[i - 1]);
    jitter = round3(sum / (got.length - 1));
  }
  const result: IcmpResult = {
    host,
    address,
    sent,
    received,
    rtts: [...rtts],
    rttMinMs: received ? Math.min(...got) : null,
    rttAvgMs: received ? round3(got.reduce((a, b) => a + b, 0) / received) : null,
    rttMaxMs: received ? Math.max(...got) : null,
    jitterMs: jitter,
    lossPct: sent > 0 ? round3(((sent - received) / sent) * 100) : 100,
    up: received > 0,
    duplicates: extra.duplicates ?? 0,
    icmpErrors: extra.icmpErrors ?? [],
  };
  if (extra.error !== undefined) result.error = extra.error;
  return result;
}

/** A host that could not be checked at all. */
export function failed(host: string, address: string | undefined, error: string): IcmpResult {
  return summarize(host, address, [], { sent: 0, error });
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** A host whose name did not resolve; one that waited too long for a lookup slot is marked `lookupBusy`. */
export function unresolved(host: string, r: Extract<Resolved, { error: string }>): IcmpResult {
  const result = failed(host, undefined, r.error);
  if (r.busy) result.lookupBusy = true;
  return result;
}
