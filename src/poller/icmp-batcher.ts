import type { IcmpChecker, IcmpCheckOptions, IcmpResult } from '../icmp/types.ts';
import { failed } from '../icmp/stats.ts';
import { errorMessage } from '../errors/index.ts';

/**
 * Collects the ICMP checks the scheduler asks for within a short window and runs them as
 * one IcmpChecker.check() (one fping child per batch) instead of one child per device.
 */
export class IcmpBatcher {
  private pending = new Map<string, { resolve: (r: IcmpResult) => void }[]>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly checker: IcmpChecker,
    private readonly opts: IcmpCheckOptions = {},
    private readonly windowMs = 50,
    private readonly maxBatch = 2000,
  ) {}

  check(host: string): Promise<IcmpResult> {
    return new Promise((resolve) => {
      const waiting = this.pending.get(host);
      if (waiting) waiting.push({ resolve });
      else this.pending.set(host, [{ resolve }]);
      if (this.pending.size >= this.maxBatch) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.windowMs);
    });
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    if (batch.size === 0) return;
    this.pending = new Map();
    const hosts = [...batch.keys()];
    this.checker.check(hosts, this.opts).then(
      (results) => {
        for (const [host, waiters] of batch) {
          const r = results.get(host) ?? failed(host, undefined, `icmp: host ${host}: no result from the ICMP engine`);
          for (const w of waiters) w.resolve(r);
        }
      },
      (err: unknown) => {
        for (const [host, waiters] of batch) for (const w of waiters) w.resolve(failed(host, undefined, `icmp: host ${host}: ${errorMessage(err)}`));
      },
    );
  }

  /**
   * Answers checks still waiting for their batch with an error instead of starting another fping,
   * then ends the fping children of batches still running (IcmpChecker.close) and waits for them.
   */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = new Map();
    for (const [host, waiters] of batch) for (const w of waiters) w.resolve(failed(host, undefined, `icmp: host ${host}: not checked: the poller is stopping`));
    await this.checker.close?.();
  }
}
