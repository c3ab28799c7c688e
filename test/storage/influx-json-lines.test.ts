/** The line splitter under InfluxDB's chunked query answers: bounded lines, reading stops early. */
import { describe, expect, it } from 'vitest';
import { jsonLines } from '../../src/storage/influx/json-lines.ts';

const tooLong = () => new Error('line too long');

/** an endless body: `piece(i)` forever, counting what was pulled and whether it was cancelled */
function endless(piece: (i: number) => string) {
  const seen = { pulled: 0, cancelled: false };
  async function* body(): AsyncGenerator<Uint8Array> {
    try {
      for (;;) yield Buffer.from(piece(seen.pulled++));
    } finally {
      seen.cancelled = true;
    }
  }
  return { body: body(), seen };
}

async function* pieces(...parts: (string | Buffer)[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield typeof p === 'string' ? Buffer.from(p) : p;
}

describe('jsonLines', () => {
  it('joins lines split across pieces, multi-byte characters included, and skips blank lines', async () => {
    const euro = Buffer.from('€');
    const out: string[] = [];
    for await (const l of jsonLines(pieces('{"a":', '1}\n\n{"b":"', euro.subarray(0, 1), euro.subarray(1), '"}\n{"c":2}'), 1024, tooLong)) out.push(l);
    expect(out).toEqual(['{"a":1}', '{"b":"€"}', '{"c":2}']);
  });

  it('stops pulling the body as soon as the consumer stops, and cancels it', async () => {
    const { body, seen } = endless((i) => `{"chunk":${i}}\n`);
    let lines = 0;
    await expect((async () => {
      for await (const _ of jsonLines(body, 1024, tooLong)) if (++lines === 5) throw new Error('cap passed');
    })()).rejects.toThrow('cap passed');
    expect(seen).toEqual({ pulled: 5, cancelled: true });
  });

  it('refuses a line over maxBytes without waiting for its end (a server ignoring chunked=true)', async () => {
    const { body, seen } = endless(() => 'x'.repeat(1000));
    await expect((async () => {
      for await (const _ of jsonLines(body, 64 * 1024, tooLong));
    })()).rejects.toThrow('line too long');
    expect(seen.pulled).toBe(66);
    expect(seen.cancelled).toBe(true);
  });
});
