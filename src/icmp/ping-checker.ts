import type { ChildProcess } from 'node:child_process';
import { CHILD_TERM_GRACE_MS, endChildren, GROUP_STOP_SIGNALS, hasExited, NOT_BY_NETPULSE, trackChild, untrackChild } from './children.ts';
import { startPingProbe, type PingPackageResponse } from './ping-probe.ts';
import { resolveHosts } from './resolve.ts';
import { failed, summarize, unresolved } from './stats.ts';
import { ICMP_DEFAULTS, type IcmpChecker, type IcmpCheckOptions, type IcmpResult } from './types.ts';

export type { PingPackageResponse } from './ping-probe.ts';

/** what a ping child gets beyond its probes and reply wait before it is killed */
const PING_DEADLINE_SLACK_MS = 10_000;

/**
 * Fallback where fping is not installed: the system `ping` per host (bounded concurrency), run
 * and parsed as the `ping` 0.4 package does. It reports only the RTTs received, so lost probes
 * are not placed.
 */
export class PingPackageChecker implements IcmpChecker {
  readonly engine = 'ping' as const;
  /** this checker's ping children still running */
  private readonly running = new Set<ChildProcess>();
  /** bumped by close(): a check begun before it starts no more children */
  private generation = 0;
  /** the children close() signalled while they ran (as far as Node had seen) */
  private readonly stoppedByClose = new WeakSet<ChildProcess>();

  constructor(private readonly concurrency = 32) {}

  async check(hosts: string[], opts: IcmpCheckOptions = {}): Promise<Map<string, IcmpResult>> {
    const o = { ...ICMP_DEFAULTS, ...opts };
    const generation = this.generation;
    const unique = [...new Set(hosts)];
    const resolved = await resolveHosts(unique);
    const results = new Map<string, IcmpResult>();
    let next = 0;
    const worker = async () => {
      while (next < unique.length) {
        const host = unique[next++];
        const r = resolved.get(host)!;
        if ('error' in r) results.set(host, unresolved(host, r));
        else if (generation !== this.generation) results.set(host, cancelled(host, r.address, 'not run'));
        else results.set(host, await this.probe(host, r.address, o));
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, unique.length) }, worker));
    return new Map(hosts.map((h) => [h, results.get(h)!]));
  }

  /**
   * Ends the ping children still running (SIGTERM, then SIGKILL after termGraceMs) and waits for
   * them; their hosts, and the hosts of checks under way not yet probed, are answered `cancelled`.
   * A child that ended by itself first (even unseen yet by Node) keeps its result. Checks begun
   * afterwards run as usual (a poller stopped and started again).
   */
  async close(termGraceMs = CHILD_TERM_GRACE_MS): Promise<void> {
    this.generation++;
    const running = [...this.running];
    for (const c of running) if (!hasExited(c)) this.stoppedByClose.add(c);
    await endChildren(running, termGraceMs);
  }

  private async probe(host: string, address: string, o: Required<IcmpCheckOptions>): Promise<IcmpResult> {
    const timeoutS = Math.max(1, Math.ceil(o.timeoutMs / 1000));
    // iputils ping refuses intervals under 200 ms for unprivileged users
    const intervalMs = Math.max(o.periodMs, process.getuid?.() === 0 ? 1 : 200);
    const { child, outcome } = startPingProbe(address, { min_reply: o.count, timeout: timeoutS, extra: ['-i', String(intervalMs / 1000)] },
      // as fping's batches: the probes, the last reply's wait and 10 s
      { deadlineMs: o.count * intervalMs + timeoutS * 1000 + PING_DEADLINE_SLACK_MS });
    trackChild(child);
    this.running.add(child);
    const res = await outcome;
    untrackChild(child);
    this.running.delete(child);
    // a probe cut short by close() decides nothing; one that ended by itself, even with close()
    // under way, keeps its result. Its exit status tells them apart: iputils ping dies of SIGTERM,
    // and a child that had exited unseen (its status not yet read) ignores close()'s signals.
    if ('error' in res && res.signal && this.stoppedByClose.has(child)) return cancelled(host, address, 'cut short');
    if ('error' in res && res.signal && GROUP_STOP_SIGNALS.has(res.signal)) return cancelled(host, address, `killed by ${res.signal}, ${NOT_BY_NETPULSE}`, '');
    if ('error' in res) return failed(host, address, `icmp: host ${host}: ping: ${res.error}`);
    return fromPingResponse(host, address, o.count, res.ok);
  }
}

/** a host a stop kept from being checked (the checker's close(), or a signal to the process group): no verdict, not a down */
function cancelled(host: string, address: string, how: string, why = ': the checker was closed (netpulse is stopping)'): IcmpResult {
  const result = failed(host, address, `icmp: host ${host}: ping: cancelled (${how})${why}`);
  result.cancelled = true;
  return result;
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
