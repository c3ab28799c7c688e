import ping from 'ping';
import { resolveHosts } from './resolve.ts';
import { failed, summarize, unresolved } from './stats.ts';
import { ICMP_DEFAULTS, type IcmpChecker, type IcmpCheckOptions, type IcmpResult } from './types.ts';

/** What the `ping` 0.4 package reports for one host (the fields we use). */
export interface PingPackageResponse {
  alive: boolean;
  times: number[];
  packetLoss: string;
  output: string;
}

/**
 * Fallback where fping is not installed: the `ping` 0.4 package, one system `ping` per host
 * (bounded concurrency). It reports only the RTTs received, so lost probes are not placed.
 */
export class PingPackageChecker implements IcmpChecker {
  readonly engine = 'ping' as const;
  constructor(private readonly concurrency = 32) {}

  async check(hosts: string[], opts: IcmpCheckOptions = {}): Promise<Map<string, IcmpResult>> {
    const o = { ...ICMP_DEFAULTS, ...opts };
    const unique = [...new Set(hosts)];
    const resolved = await resolveHosts(unique);
    const results = new Map<string, IcmpResult>();
    let next = 0;
    const worker = async () => {
      while (next < unique.length) {
        const host = unique[next++];
        const r = resolved.get(host)!;
        if ('error' in r) {
          results.set(host, unresolved(host, r));
          continue;
        }
        try {
          const res = (await ping.promise.probe(r.address, {
            min_reply: o.count,
            timeout: Math.max(1, Math.ceil(o.timeoutMs / 1000)),
            // iputils ping refuses intervals under 200 ms for unprivileged users
            extra: ['-i', String(Math.max(o.periodMs, process.getuid?.() === 0 ? 1 : 200) / 1000)],
          })) as unknown as PingPackageResponse;
          results.set(host, fromPingResponse(host, r.address, o.count, res));
        } catch (err) {
          results.set(host, failed(host, r.address, `icmp: host ${host}: ping: ${(err as Error).message}`));
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, unique.length) }, worker));
    return new Map(hosts.map((h) => [h, results.get(h)!]));
  }
}

/** Pure mapping of a `ping` package response to a result. */
export function fromPingResponse(host: string, address: string, count: number, res: PingPackageResponse): IcmpResult {
  if (res.packetLoss === 'unknown' && !res.times.length && !res.alive) {
    const detail = res.output && res.output !== 'unknown' ? res.output.trim().split('\n')[0] : 'no output';
    return summarize(host, address, [], { sent: count, icmpErrors: [detail] });
  }
  const rtts = res.times.slice(0, count).map(Number).filter((t) => Number.isFinite(t));
  return summarize(host, address, rtts, { sent: count });
}
