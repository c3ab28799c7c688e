import { failed, summarize } from './stats.ts';
import type { IcmpChecker, IcmpCheckOptions, IcmpResult } from './types.ts';

/**
 * For unit tests of callers (the poller): answers from a table of per-probe RTTs
 * (null = lost); hosts not in the table are down. Records the calls it got.
 */
export class FakeIcmpChecker implements IcmpChecker {
  readonly engine = 'fping' as const;
  readonly calls: { hosts: string[]; opts: IcmpCheckOptions }[] = [];
  constructor(private readonly rtts: Record<string, (number | null)[] | Error>) {}

  async check(hosts: string[], opts: IcmpCheckOptions = {}): Promise<Map<string, IcmpResult>> {
    this.calls.push({ hosts: [...hosts], opts });
    const count = opts.count ?? 3;
    return new Map(
      hosts.map((h) => {
        const r = this.rtts[h];
        if (r instanceof Error) return [h, failed(h, undefined, r.message)];
        return [h, summarize(h, h, r ?? Array<null>(count).fill(null))];
      }),
    );
  }
}
