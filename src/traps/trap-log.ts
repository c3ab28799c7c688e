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

/** Fixed-size ring buffer; list() returns newest last. */
export class MemoryTrapLog implements TrapLog {
  private readonly ring: TrapRecord[] = [];
  private next = 0;
  constructor(private readonly max = 10_000) {}

  append(record: TrapRecord): void {
    if (this.ring.length < this.max) this.ring.push(record);
    else this.ring[this.next] = record;
    this.next = (this.next + 1) % this.max;
  }

  list(limit = 100): TrapRecord[] {
    const ordered = this.ring.length < this.max ? this.ring : [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
    return ordered.slice(-limit);
  }

  get size(): number {
    return this.ring.length;
  }
}
