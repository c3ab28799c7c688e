import { describe, expect, it, vi } from 'vitest';
import { NetpulseError } from '../../src/errors/index.ts';
import type { SnmpWalkError } from '../../src/snmp/errors.ts';
import type { Varbind } from '../../src/snmp/types.ts';
import { walkSubtree, walkTable, type Requester } from '../../src/snmp/walk.ts';
import { isAscendingList, type WireVarbind } from '../../src/snmp/wire/index.ts';
import { rowsBeforeCut } from '../../src/topology/partial-rows.ts';
import { overTheWire } from '../wire/encoded-lists.ts';

const int = (oid: string, value = 1): Varbind => ({ oid, type: 'Integer', value });
const fail = (kind: string) => new NetpulseError({ scope: 'snmp', target: 'agent 127.0.0.1:161', action: 'walk', reason: kind, kind });

/** A fake agent holding a sorted MIB, optionally misbehaving; records max-repetitions asked for. */
function fakeAgent(mib: Varbind[], opts: { bulk?: boolean; wire?: boolean; answer?: (oid: string, reps: number, call: number) => Varbind[] | Error } = {}) {
  const asked: number[] = [];
  let call = 0;
  const next = (oid: string, reps: number): Varbind[] => {
    const i = mib.findIndex((v) => v.oid.split('.').map(Number).join() !== oid && cmp(v.oid, oid) > 0);
    if (i < 0) return [{ oid, type: 'EndOfMibView', value: null }];
    return mib.slice(i, i + reps);
  };
  const req: Requester & { asked: number[] } = {
    target: 'agent 127.0.0.1:161',
    bulk: opts.bulk ?? true,
    maxRepetitions: 8,
    asked,
    async getNext(oids) {
      return oids.map((o) => {
        const r = opts.answer?.(o, 1, call++) ?? next(o, 1);
        if (r instanceof Error) throw r;
        return r[0];
      });
    },
    async getBulk(oids, reps) {
      asked.push(reps);
      return oids.map((o) => {
        const r = opts.answer?.(o, reps, call++) ?? next(o, reps);
        if (r instanceof Error) throw r;
        return opts.wire ? overTheWire(r as WireVarbind[]) : r;
      });
    },
  };
  return req;
}

function cmp(a: string, b: string): number {
  const x = a.split('.').map(Number), y = b.split('.').map(Number);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

const ifTable = [1, 2, 3].flatMap((col) => [1, 2, 10].map((row) => int(`1.3.6.1.2.1.2.2.1.${col}.${row}`, col * 100 + row)));
const mib = [int('1.3.6.1.2.1.1.5.0'), ...ifTable, int('1.3.6.1.2.1.4.1.0')];

describe('walk guard rails', () => {
  it('walks exactly the subtree', async () => {
    const vbs = await walkSubtree(fakeAgent(mib), '1.3.6.1.2.1.2');
    expect(vbs.map((v) => v.oid)).toEqual(ifTable.map((v) => v.oid));
  });

  it('walks with GETNEXT when bulk is unavailable (v1)', async () => {
    const vbs = await walkSubtree(fakeAgent(mib, { bulk: false }), '1.3.6.1.2.1.2');
    expect(vbs).toHaveLength(9);
  });

  it.each([
    ['repeated OID', (oid: string) => [int(oid)], /repeated OID/],
    ['decreasing OID', () => [int('1.3.6.1.2.1.2.2.1.1.1')], /not increasing OID 1.3.6.1.2.1.2.2.1.1.1/],
  ])('stops on a %s with kind walk-loop naming agent and OID', async (_, answer, msg) => {
    const req = fakeAgent(mib, { answer: (oid, _r, call) => (call === 0 ? [int('1.3.6.1.2.1.2.2.1.1.5')] : answer(oid)) });
    const err = await walkSubtree(req, '1.3.6.1.2.1.2').catch((e) => e);
    expect(err.kind).toBe('walk-loop');
    expect(err.message).toMatch(/^snmp: agent 127\.0\.0\.1:161: walk 1\.3\.6\.1\.2\.1\.2: /);
    expect(err.message).toMatch(msg);
    expect(err.partial).toHaveLength(1);
  });

  it('stops at the varbind cap', async () => {
    const err = await walkSubtree(fakeAgent(mib), '1.3.6.1.2.1.2', { maxVarbinds: 4 }).catch((e) => e);
    expect(err.kind).toBe('walk-cap');
    expect(err.message).toMatch(/stopped at 1\.3\.6\.1\.2\.1\.2\.2\.1\.2\.1 after 4 varbinds \(cap 4\)/);
  });

  it('stops at the time cap', async () => {
    const slow = fakeAgent(mib, { answer: (oid, reps) => { const t = Date.now() + 30; while (Date.now() < t); return [int(oid + '.1')].slice(0, reps); } });
    const err = await walkSubtree(slow, '1.3.6.1.2.1.2', { maxDurationMs: 50 }).catch((e) => e);
    expect(err.kind).toBe('walk-cap');
    expect(err.message).toMatch(/time cap/);
  });

  it('halves max-repetitions on tooBig and keeps the smaller value', async () => {
    const req = fakeAgent(mib, { answer: (oid, reps) => (reps > 2 ? fail('tooBig') : undefined as never) });
    const real = fakeAgent(mib);
    req.getBulk = async (oids, reps) => { req.asked.push(reps); if (reps > 2) throw fail('tooBig'); return real.getBulk(oids, reps, ''); };
    const vbs = await walkSubtree(req, '1.3.6.1.2.1.2');
    expect(vbs).toHaveLength(9);
    expect(req.asked.slice(0, 3)).toEqual([8, 4, 2]);
    expect(req.maxRepetitions).toBe(2);
  });

  it('halves on a timeout only after the agent has answered; a dead agent fails at once', async () => {
    const dead = fakeAgent(mib);
    dead.getBulk = async (_o, reps) => { dead.asked.push(reps); throw fail('timeout'); };
    await expect(walkSubtree(dead, '1.3.6.1.2.1.2')).rejects.toMatchObject({ kind: 'timeout' });
    expect(dead.asked).toEqual([8]);

    const flaky = fakeAgent(mib);
    const real = fakeAgent(mib);
    let n = 0;
    flaky.getBulk = async (oids, reps) => { flaky.asked.push(reps); if (n++ === 1) throw fail('timeout'); return real.getBulk(oids, reps, ''); };
    const vbs = await walkSubtree(flaky, '1.3.6.1.2.1.2');
    expect(vbs).toHaveLength(9);
    expect(flaky.asked.slice(0, 3)).toEqual([8, 8, 4]);
  });

  it('an agent that dies mid-walk fails once the halved request times out too, not after halving down to 1', async () => {
    const dies = fakeAgent(mib);
    const real = fakeAgent(mib);
    let n = 0;
    dies.getBulk = async (oids, reps) => { dies.asked.push(reps); if (n++ >= 1) throw fail('timeout'); return real.getBulk(oids, reps, ''); };
    await expect(walkSubtree(dies, '1.3.6.1.2.1.2')).rejects.toMatchObject({ kind: 'timeout' });
    expect(dies.asked).toEqual([8, 8, 4]);
  });

  it('grows max-repetitions back after one slow answer; a size that times out twice stays a ceiling', async () => {
    const big = Array.from({ length: 200 }, (_, i) => int(`1.3.6.1.2.1.2.2.1.1.${i + 1}`));
    const real = fakeAgent(big);
    const slowOnce = fakeAgent(big);
    let n = 0;
    slowOnce.getBulk = async (oids, reps) => { slowOnce.asked.push(reps); if (n++ === 1) throw fail('timeout'); return real.getBulk(oids, reps, ''); };
    expect(await walkSubtree(slowOnce, '1.3.6.1.2.1.2')).toHaveLength(200);
    expect(slowOnce.asked.slice(0, 8)).toEqual([8, 8, 4, 4, 4, 4, 8, 8]);
    expect(slowOnce.maxRepetitions).toBe(8);

    const dropsBig = fakeAgent(big);
    const req = Object.assign(dropsBig, { maxRepetitions: 8 });
    let calls = 0;
    req.getBulk = async (oids, reps) => { calls++; req.asked.push(reps); if (reps > 4 && calls > 1) throw fail('timeout'); return real.getBulk(oids, reps, ''); };
    expect(await walkSubtree(req, '1.3.6.1.2.1.2')).toHaveLength(200);
    expect(req.asked.filter((r) => r === 8)).toHaveLength(3); // first answer, then two timeouts at 8
    expect(req.maxRepetitions).toBe(4);
  });

  it('treats exceptions as the end of the walk, never a crash', async () => {
    const req = fakeAgent(mib, { answer: (oid) => [{ oid, type: 'NoSuchObject', value: null }] });
    expect(await walkSubtree(req, '1.3.6.1.2.1.2')).toEqual([]);
  });
});

describe('table', () => {
  it.each([[true], [false]])('groups columns by row index (bulk=%s)', async (bulk) => {
    const cols = ['1.3.6.1.2.1.2.2.1.1', '1.3.6.1.2.1.2.2.1.3'];
    const rows = await walkTable(fakeAgent(mib, { bulk }), cols);
    expect(rows.map((r) => r.index)).toEqual(['1', '2', '10']);
    expect(rows[2].values.get(cols[1])?.value).toBe(310);
    expect(rows[0].values.size).toBe(2);
  });

  it('a column left without a varbind by a short answer is asked again; an empty answer ends the table', async () => {
    const cols = ['1.3.6.1.2.1.2.2.1.1', '1.3.6.1.2.1.2.2.1.2', '1.3.6.1.2.1.2.2.1.3'];
    const req = fakeAgent(mib);
    const real = fakeAgent(mib);
    // every answer carries only the first column's varbinds until that column has ended
    req.getBulk = async (oids, reps) => {
      const res = await real.getBulk(oids, reps, '');
      return oids.length === cols.length ? [res[0], [], []] : res;
    };
    const rows = await walkTable(req, cols);
    expect(rows.map((r) => [r.index, r.values.size])).toEqual([['1', 3], ['2', 3], ['10', 3]]);
    req.getBulk = async (oids) => oids.map(() => []);
    expect(await walkTable(req, cols)).toEqual([]);
  });

  // the error carries every column read so far, not the failing column's part of the last answer,
  // so the rows every column got past are kept (src/topology/partial-rows.ts)
  const cols = ['1.3.6.1.2.1.2.2.1.1', '1.3.6.1.2.1.2.2.1.2'];
  const oidsOf = (vbs: Varbind[]) => vbs.map((v) => v.oid);
  it.each([[true], [false]])('a varbind cap fails the table with everything read (bulk=%s)', async (bulk) => {
    const err = await walkTable(fakeAgent(mib, { bulk }), cols, { maxVarbinds: 5 }).catch((e) => e);
    expect(err.kind).toBe('walk-cap');
    expect(err.message).toMatch(/stopped at 1\.3\.6\.1\.2\.1\.2\.2\.1\.2\.2 after 5 varbinds \(cap 5\)/);
    expect(oidsOf(err.partial)).toEqual(ifTable.slice(0, 5).map((v) => v.oid));
    expect(rowsBeforeCut(cols, err.partial).map((r) => r.index)).toEqual(['1', '2']);
  });

  it('a loop in a later round fails the table with every round before it', async () => {
    // one row per column and round; the first column's third answer goes back to row 1
    const req = fakeAgent(mib, { answer: (oid) => (oid === `${cols[0]}.2` ? [int(`${cols[0]}.1`)] : undefined as never) });
    req.maxRepetitions = 1;
    const err = await walkTable(req, cols).catch((e) => e);
    expect(err.kind).toBe('walk-loop');
    expect(err.message).toMatch(/not increasing OID 1\.3\.6\.1\.2\.1\.2\.2\.1\.1\.1 after 1\.3\.6\.1\.2\.1\.2\.2\.1\.1\.2/);
    expect(oidsOf(err.partial)).toEqual([`${cols[0]}.1`, `${cols[1]}.1`, `${cols[0]}.2`, `${cols[1]}.2`]);
    expect(rowsBeforeCut(cols, err.partial).map((r) => r.index)).toEqual(['1', '2']);
  });
});

describe('pipelined walk (next request sent before the response is checked)', () => {
  /** wraps a fake agent so each answer takes a few ms, tracking requests in flight */
  function timed(req: Requester & { asked: number[] }) {
    let inFlight = 0;
    let peak = 0;
    const wrap = <A extends unknown[], R>(f: (...a: A) => Promise<R>) => async (...a: A): Promise<R> => {
      peak = Math.max(peak, ++inFlight);
      try {
        await new Promise((r) => setTimeout(r, 2));
        return await f(...a);
      } finally {
        inFlight--;
      }
    };
    const wrapped: Requester = { ...req, getBulk: wrap(req.getBulk.bind(req)), getNext: wrap(req.getNext.bind(req)) };
    return { req: wrapped, stats: () => ({ inFlight, peak }) };
  }

  it('keeps one request in flight and none once the walk has returned', async () => {
    const t = timed(fakeAgent(mib));
    t.req.maxRepetitions = 2;
    const vbs = await walkSubtree(t.req, '1.3.6.1.2.1.2');
    expect(vbs.map((v) => v.oid)).toEqual(ifTable.map((v) => v.oid));
    expect(t.stats()).toEqual({ inFlight: 0, peak: 1 });
  });

  it('a loop found after the next request left still fails the walk, with nothing left in flight', async () => {
    // the response's last OID moves on, but one in the middle goes backwards
    const t = timed(
      fakeAgent(mib, {
        answer: (oid, reps, call) =>
          call === 1 ? [int('1.3.6.1.2.1.2.2.1.2.1'), int('1.3.6.1.2.1.2.2.1.1.1'), int('1.3.6.1.2.1.2.2.1.3.1')] : undefined!,
      }),
    );
    t.req.maxRepetitions = 3;
    const err = await walkSubtree(t.req, '1.3.6.1.2.1.2').catch((e) => e);
    expect(err.kind).toBe('walk-loop');
    expect(t.stats()).toEqual({ inFlight: 0, peak: 1 });
  });
});

describe('walk with early answers (the wire codec says where an answer ends before decoding it)', () => {
  /**
   * A fake agent whose requester calls onEnd once an answer "arrived", before returning it, as
   * fast-bulk.ts does. `outstanding` counts requests the agent has not answered yet.
   */
  function early(mib: Varbind[], opts: { failAfterEnd?: number; answer?: (oid: string, reps: number, call: number) => Varbind[] | undefined } = {}) {
    const base = fakeAgent(mib);
    let call = 0;
    let outstanding = 0;
    let peak = 0;
    const starts: string[] = [];
    const req: Requester = {
      ...base,
      maxRepetitions: 2,
      async getBulk(oids, reps, _action, onEnd) {
        const n = call++;
        starts.push(oids[0]);
        peak = Math.max(peak, ++outstanding);
        await new Promise((r) => setTimeout(r, 1));
        outstanding--;
        const [vbs] = await base.getBulk(oids, reps, '');
        const answer = opts.answer?.(oids[0], reps, n) ?? vbs;
        const last = answer.at(-1);
        if (last) onEnd?.([{ oid: last.oid, exception: last.type === 'EndOfMibView' }], answer.length);
        if (n === opts.failAfterEnd) throw fail('protocol');
        return [answer];
      },
    };
    return { req, stats: () => ({ outstanding, peak }), starts };
  }

  it('sends the next request from onEnd, one request at a time, and returns the same varbinds', async () => {
    const t = early(mib);
    const vbs = await walkSubtree(t.req, '1.3.6.1.2.1.2');
    expect(vbs.map((v) => v.oid)).toEqual(ifTable.map((v) => v.oid));
    expect(t.stats()).toEqual({ outstanding: 0, peak: 1 });
    // each request starts where the previous answer ended
    expect(t.starts.slice(0, 3)).toEqual(['1.3.6.1.2.1.2', '1.3.6.1.2.1.2.2.1.1.2', '1.3.6.1.2.1.2.2.1.2.1']);
  });

  it('an answer that fails after onEnd fails the walk, and the request already sent is waited for', async () => {
    const t = early(mib, { failAfterEnd: 1 });
    const err = await walkSubtree(t.req, '1.3.6.1.2.1.2').catch((e) => e);
    expect(err.kind).toBe('protocol');
    expect(t.stats().outstanding).toBe(0);
  });

  it('a loop inside an answer whose end moves on still fails the walk, with nothing left in flight', async () => {
    const t = early(mib, {
      answer: (_oid, _reps, call) => (call === 1 ? [int('1.3.6.1.2.1.2.2.1.2.1'), int('1.3.6.1.2.1.2.2.1.1.1'), int('1.3.6.1.2.1.2.2.1.3.1')] : undefined),
    });
    const err = await walkSubtree(t.req, '1.3.6.1.2.1.2').catch((e) => e);
    expect(err.kind).toBe('walk-loop');
    expect(t.stats()).toEqual({ outstanding: 0, peak: 1 });
  });

  it('drops a request sent early from an answer that then failed: the retried answer ends elsewhere', async () => {
    // answer 1 (from 2.1) announces its end, 3.2, then fails (a timeout after the decode failed);
    // its retry at half size ends at 2.10, so the request sent from 3.2 would skip 3.1 and 3.2
    const base = fakeAgent(mib);
    const starts: string[] = [];
    let call = 0;
    const req: Requester = {
      ...base,
      maxRepetitions: 4,
      async getBulk(oids, reps, _action, onEnd) {
        const n = call++;
        starts.push(oids[0]);
        await new Promise((r) => setTimeout(r, 1));
        const [vbs] = await base.getBulk(oids, reps, '');
        onEnd?.([{ oid: vbs.at(-1)!.oid, exception: false }], vbs.length);
        if (n === 1) throw fail('timeout');
        return [vbs];
      },
    };
    const vbs = await walkSubtree(req, '1.3.6.1.2.1.2');
    expect(vbs.map((v) => v.oid)).toEqual(ifTable.map((v) => v.oid));
    expect(starts).toEqual(['1.3.6.1.2.1.2', '1.3.6.1.2.1.2.2.1.2.1', '1.3.6.1.2.1.2.2.1.3.2', '1.3.6.1.2.1.2.2.1.2.1', '1.3.6.1.2.1.2.2.1.2.10', '1.3.6.1.2.1.2.2.1.3.2']);
  });

  it('sends nothing early when the answer ends the subtree, repeats its start or ends in an exception', async () => {
    for (const [answer, expected] of [
      [[int('1.3.6.1.2.1.2.2.1.1.1'), int('1.3.6.1.2.1.4.1.0')], 1],
      [[{ oid: '1.3.6.1.2.1.2.2.1.1.1', type: 'EndOfMibView', value: null } as Varbind], 0],
    ] as const) {
      const t = early(mib, { answer: () => [...answer] });
      const vbs = await walkSubtree(t.req, '1.3.6.1.2.1.2');
      expect(vbs).toHaveLength(expected);
      expect(t.starts).toHaveLength(1);
    }
  });
});

describe('table with early answers', () => {
  /** like early() above for several columns: onEnd gets the answer's last row */
  function earlyTable(mib: Varbind[], opts: { answer?: (oids: string[], reps: number, call: number) => Varbind[][] | undefined } = {}) {
    const base = fakeAgent(mib);
    let call = 0;
    let outstanding = 0;
    let peak = 0;
    const rounds: string[][] = [];
    const req: Requester = {
      ...base,
      maxRepetitions: 2,
      async getBulk(oids, reps, _action, onEnd) {
        const n = call++;
        rounds.push([...oids]);
        peak = Math.max(peak, ++outstanding);
        await new Promise((r) => setTimeout(r, 1));
        outstanding--;
        const cols = opts.answer?.(oids, reps, n) ?? (await base.getBulk(oids, reps, ''));
        const rows = Math.min(...cols.map((c) => c.length));
        if (rows > 0) onEnd?.(cols.map((c) => ({ oid: c[rows - 1].oid, exception: c[rows - 1].type === 'EndOfMibView' })), rows * cols.length);
        return cols;
      },
    };
    return { req, stats: () => ({ outstanding, peak }), rounds };
  }
  const cols = ['1.3.6.1.2.1.2.2.1.1', '1.3.6.1.2.1.2.2.1.3'];

  it('sends each round from the last row, one request at a time, with the same rows as without', async () => {
    const t = earlyTable(mib);
    const rows = await walkTable(t.req, cols);
    const plain = await walkTable(fakeAgent(mib), cols);
    expect(rows).toEqual(plain);
    expect(t.stats()).toEqual({ outstanding: 0, peak: 1 });
    expect(t.rounds[1]).toEqual(['1.3.6.1.2.1.2.2.1.1.2', '1.3.6.1.2.1.2.2.1.3.2']);
  });

  it('asks a round again when the answer does not end as its last row said (a column left mid-answer)', async () => {
    // round 0: column 1 leaves its table in its first varbind, but its last varbind is back inside
    const odd = earlyTable(mib, {
      answer: (oids, _reps, call) =>
        call === 0 ? [[int('1.3.6.1.2.1.2.2.1.2.1'), int('1.3.6.1.2.1.2.2.1.1.2')], [int('1.3.6.1.2.1.2.2.1.3.1'), int('1.3.6.1.2.1.2.2.1.3.2')]] : undefined,
    });
    const rows = await walkTable(odd.req, cols);
    expect(rows.map((r) => [r.index, [...r.values.keys()].length])).toEqual([['1', 1], ['2', 1], ['10', 1]]);
    expect(odd.stats()).toEqual({ outstanding: 0, peak: 1 });
    // the early round asked for both columns; the round asked again only for the one left
    expect(odd.rounds[1]).toEqual(['1.3.6.1.2.1.2.2.1.1.2', '1.3.6.1.2.1.2.2.1.3.2']);
    expect(odd.rounds[2]).toEqual(['1.3.6.1.2.1.2.2.1.3.2']);
  });
});

describe('walk guard rails on answers the decoder vouches are in order (first and last checked)', () => {
  const wire = { wire: true };
  it('walks exactly the subtree, through answers that leave it at the end', async () => {
    expect(isAscendingList(overTheWire(ifTable))).toBe(true);
    const vbs = await walkSubtree(fakeAgent(mib, wire), '1.3.6.1.2.1.2');
    expect(vbs.map((v) => v.oid)).toEqual(ifTable.map((v) => v.oid));
    const one = await walkSubtree(fakeAgent(mib, wire), '1.3.6.1.2.1.2.2.1.2');
    expect(one.map((v) => v.oid)).toEqual(ifTable.slice(3, 6).map((v) => v.oid));
  });

  it.each([
    ['an answer starting at the cursor', (oid: string) => [int(oid), int(`${oid}.1`)], /repeated OID 1.3.6.1.2.1.2.2.1.1.5 after 1.3.6.1.2.1.2.2.1.1.5/, 1],
    ['an answer starting below the cursor', () => [int('1.3.6.1.2.1.2.2.1.1.1'), int('1.3.6.1.2.1.2.2.1.1.2')], /not increasing OID 1.3.6.1.2.1.2.2.1.1.1/, 1],
    ['an answer going back in its middle', () => [int('1.3.6.1.2.1.2.2.1.1.6'), int('1.3.6.1.2.1.2.2.1.1.8'), int('1.3.6.1.2.1.2.2.1.1.7')], /not increasing OID 1.3.6.1.2.1.2.2.1.1.7 after 1.3.6.1.2.1.2.2.1.1.8/, 3],
  ])('stops on %s (walk-loop)', async (_, answer, msg, partial) => {
    const req = fakeAgent(mib, { wire: true, answer: (oid, _r, call) => (call === 0 ? [int('1.3.6.1.2.1.2.2.1.1.5')] : answer(oid)) });
    const err = await walkSubtree(req, '1.3.6.1.2.1.2').catch((e) => e);
    expect(err.kind).toBe('walk-loop');
    expect(err.message).toMatch(msg);
    expect(err.partial).toHaveLength(partial);
  });

  it('stops at the varbind cap inside an answer, and at an exception inside one', async () => {
    const err = await walkSubtree(fakeAgent(mib, wire), '1.3.6.1.2.1.2', { maxVarbinds: 4 }).catch((e) => e);
    expect(err.kind).toBe('walk-cap');
    expect(err.partial).toHaveLength(4);
    const req = fakeAgent(mib, { wire: true, answer: (oid) => [int(`${oid}.1`), { oid: `${oid}.2`, type: 'EndOfMibView', value: null }, int(`${oid}.3`)] });
    const vbs = await walkSubtree(req, '1.3.6.1.2.1.2');
    expect(vbs.map((v) => v.oid)).toEqual(['1.3.6.1.2.1.2.1']);
  });
});


describe('a capped table walk names the columns that had ended', () => {
  // columns 1 and 3 have rows 1-20, column 2 (sparse) only row 1: round 1 reads rows 1-6 of
  // columns 1 and 3 (max-repetitions 8 spread over three columns) and ends column 2; round 2 is cut
  const col = (c: number) => `1.3.6.1.9.${c}`;
  const sparse = [1, 2, 3].flatMap((c) => (c === 2 ? [1] : Array.from({ length: 20 }, (_, i) => i + 1)).map((r) => int(`${col(c)}.${r}`)));
  const cols = [col(1), col(2), col(3)];

  it.each<[string, () => Promise<unknown>]>([
    ['the varbind cap', () => walkTable(fakeAgent(sparse), cols, { maxVarbinds: 20 })],
    ['the time cap', () => {
      // the clock moves on with each answer, past the deadline after round 1
      let clock = 1_000;
      const now = vi.spyOn(Date, 'now').mockImplementation(() => clock);
      const agent = fakeAgent(sparse, { answer: (oid, reps) => { clock += 10; const i = sparse.findIndex((v) => cmp(v.oid, oid) > 0); return sparse.slice(i, i + reps); } });
      return walkTable(agent, cols, { maxDurationMs: 5 }).finally(() => now.mockRestore());
    }],
  ])('%s: the sparse column is named and limits no kept row', async (_, walk) => {
    const err = (await walk().catch((e) => e)) as SnmpWalkError;
    expect(err.kind).toBe('walk-cap');
    expect(err.ended).toEqual([col(2)]);
    expect(rowsBeforeCut(cols, err.partial, err.ended).map((r) => r.index)).toEqual(['1', '2', '3', '4', '5', '6']);
  });
});
