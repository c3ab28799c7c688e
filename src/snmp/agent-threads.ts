/**
 * Which SNMP thread owns which agent. An agent seen for the first time goes to the thread with
 * the fewest agents and stays there (its sessions and discovered engine live in that thread).
 * Agents not asked for IDLE_MS are forgotten, so devices removed from the inventory stop counting
 * and new ones fill the threads they leave; one asked again after that is placed afresh.
 */
export const IDLE_MS = 10 * 60_000;
/** how often forgotten agents are looked for */
const SWEEP_MS = 60_000;
/** most agents remembered; past it, all are forgotten at once */
const MAX_AGENTS = 65_536;

interface Placement {
  thread: number;
  lastUsed: number;
}

export class AgentThreads {
  readonly #placed = new Map<string, Placement>();
  readonly #perThread: number[] = [];
  #lastSweep = 0;

  /** the thread (0 .. threads - 1) for `agentKey` */
  threadOf(agentKey: string, threads: number, now = Date.now()): number {
    if (now - this.#lastSweep >= SWEEP_MS) this.#sweep(now);
    const known = this.#placed.get(agentKey);
    if (known !== undefined && known.thread < threads) {
      known.lastUsed = now;
      return known.thread;
    }
    if (known !== undefined) this.#forget(agentKey, known);
    if (this.#placed.size >= MAX_AGENTS) {
      this.#placed.clear();
      this.#perThread.fill(0);
    }
    let best = 0;
    for (let i = 1; i < threads; i++) if ((this.#perThread[i] ?? 0) < (this.#perThread[best] ?? 0)) best = i;
    this.#placed.set(agentKey, { thread: best, lastUsed: now });
    this.#perThread[best] = (this.#perThread[best] ?? 0) + 1;
    return best;
  }

  /** agents per thread now */
  counts(threads: number): number[] {
    return Array.from({ length: threads }, (_, i) => this.#perThread[i] ?? 0);
  }

  #forget(agentKey: string, p: Placement): void {
    this.#placed.delete(agentKey);
    this.#perThread[p.thread]--;
  }

  #sweep(now: number): void {
    this.#lastSweep = now;
    for (const [key, p] of this.#placed) if (now - p.lastUsed > IDLE_MS) this.#forget(key, p);
  }
}
