/**
 * Pacing: a global limit on agents being talked to at once, and one operation at a
 * time per agent (so one request in flight per agent, never a burst at one device).
 */
export class Limiter {
  #active = 0;
  readonly #waiting: Array<() => void> = [];
  readonly #tails = new Map<string, Promise<void>>();

  constructor(readonly maxConcurrency: number) {
    if (!Number.isInteger(maxConcurrency) || maxConcurrency < 1) throw new Error(`maxConcurrency must be a positive integer, got ${maxConcurrency}`);
  }

  /** Runs `fn` after the agent's previous operation has finished and a global slot is free. */
  async run<T>(agentKey: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.#tails.get(agentKey) ?? Promise.resolve();
    let done!: () => void;
    const mine = new Promise<void>((r) => (done = r));
    const tail = prev.then(() => mine);
    this.#tails.set(agentKey, tail);
    try {
      await prev;
      await this.#acquire();
      try {
        return await fn();
      } finally {
        this.#release();
      }
    } finally {
      done();
      if (this.#tails.get(agentKey) === tail) this.#tails.delete(agentKey);
    }
  }

  get active(): number {
    return this.#active;
  }

  get queued(): number {
    return this.#waiting.length;
  }

  #acquire(): Promise<void> {
    if (this.#active < this.maxConcurrency) {
      this.#active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiting.push(() => resolve()));
  }

  #release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#active--;
  }
}
