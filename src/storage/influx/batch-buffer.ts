/**
 * The lines of the batch being built, encoded to UTF-8 as soon as they are formatted.
 * Keeping 5000 formatted strings until the batch is cut made each one survive young-gen
 * GC (and `join` flatten them again): the GC was the writer's largest cost. Bytes in a
 * Buffer live outside the JS heap, so the line strings die young.
 */
export class BatchBuffer {
  private buf: Buffer;
  private pos = 0;
  lines = 0;

  constructor(private capacityHint = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(capacityHint);
  }

  /** Appends one line and its terminating newline. */
  push(line: string): void {
    // UTF-8 needs at most 3 bytes per UTF-16 code unit
    const worst = line.length * 3 + 1;
    if (this.pos + worst > this.buf.length) this.grow(this.pos + worst);
    this.pos += this.buf.write(line, this.pos, 'utf8');
    this.buf[this.pos++] = 0x0a;
    this.lines++;
  }

  /** The bytes so far (every line ends with `\n`); the builder starts a fresh buffer. */
  take(): Buffer {
    const out = this.buf.subarray(0, this.pos);
    // the next batch is likely the same size as this one
    this.capacityHint = Math.max(this.capacityHint, this.pos + (this.pos >> 3));
    this.buf = Buffer.allocUnsafe(this.capacityHint);
    this.pos = 0;
    this.lines = 0;
    return out;
  }

  private grow(min: number): void {
    const next = Buffer.allocUnsafe(Math.max(min, this.buf.length * 2));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
}
