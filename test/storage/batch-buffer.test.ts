import { describe, expect, it } from 'vitest';
import { BatchBuffer } from '../../src/storage/influx/batch-buffer.ts';

describe('BatchBuffer', () => {
  it.each([
    ['one ascii line', ['cpu,host=a v=1i 1'], 4],
    ['multi-byte UTF-8 (é, 漢, emoji)', ['m,t=é v="漢字" 1', 'm v="😀" 2'], 4],
    ['growth past the initial capacity', Array.from({ length: 50 }, (_, i) => `m,i=${i} v=${'x'.repeat(40)}i 1`), 16],
    ['a line longer than the capacity', ['m v="' + 'y'.repeat(1000) + '" 1'], 8],
  ])('%s: newline-terminated UTF-8 of every line, in order', (_name, lines, capacity) => {
    const b = new BatchBuffer(capacity);
    for (const l of lines) b.push(l);
    expect(b.lines).toBe(lines.length);
    expect(b.take().toString('utf8')).toBe(lines.map((l) => l + '\n').join(''));
    expect(b.lines).toBe(0);
  });

  it('a taken batch is not overwritten by the next one', () => {
    const b = new BatchBuffer(8);
    b.push('first 1');
    const first = b.take();
    b.push('second 2');
    const second = b.take();
    expect(first.toString()).toBe('first 1\n');
    expect(second.toString()).toBe('second 2\n');
    expect(b.take().length).toBe(0);
  });
});
