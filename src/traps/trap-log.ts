import type { TrapEvent } from './event.ts';

/** A recorded trap: the event plus what the rules made of it. */
export interface TrapRecord extends TrapEvent {
  severity?: string;
  rules: string[];
}

/** The trap log (src/storage adapts its repository to this). append() may be async: informs wait for it. */
export interface TrapLog {
  append(record: TrapRecord): void | Promise<void>;
}

/** Newest-last ring buffer. */
export class MemoryTrapLog implements TrapLog {
  private readonly ring: TrapRecord[] = [];
  constructor(private readonly max = 10_000) {}

  append(record: TrapRecord): void {
    this.ring.push(record);
    if (this.ring.length > this.max) this.ring.shift();
  }

  list(limit = 100): TrapRecord[] {
    return this.ring.slice(-limit);
  }

  get size(): number {
    return this.ring.length;
  }
}
