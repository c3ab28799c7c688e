import type { Sample } from '../../model/index.ts';

/**
 * FIFO of samples kept as the arrays producers handed over (copied once), consumed from the
 * head by index: taking a slice costs the slice, never a copy of the backlog behind it.
 */
export class SampleQueue {
  private chunks: Sample[][] = [];
  /** first chunk not fully consumed */
  private chunk = 0;
  /** next sample in that chunk */
  private offset = 0;
  private size = 0;

  get length(): number {
    return this.size;
  }

  push(samples: readonly Sample[]): void {
    if (samples.length === 0) return;
    this.chunks.push(samples.slice());
    this.size += samples.length;
  }

  /** removes and returns up to `max` samples, oldest first */
  take(max: number): Sample[] {
    const out: Sample[] = [];
    while (out.length < max && this.chunk < this.chunks.length) {
      const c = this.chunks[this.chunk];
      const n = Math.min(max - out.length, c.length - this.offset);
      for (let i = 0; i < n; i++) out.push(c[this.offset + i]);
      this.offset += n;
      if (this.offset === c.length) {
        this.chunks[this.chunk++] = [];
        this.offset = 0;
      }
    }
    this.size -= out.length;
    // drop consumed chunk slots now and then (amortised O(1))
    if (this.chunk === this.chunks.length) {
      this.chunks = [];
      this.chunk = 0;
    } else if (this.chunk > 1024 && this.chunk * 2 > this.chunks.length) {
      this.chunks = this.chunks.slice(this.chunk);
      this.chunk = 0;
    }
    return out;
  }
}
