import { describe, expect, it } from 'vitest';
import type { TrapEvent, Translator } from '../../src/traps/event.ts';
import { PendingNames } from '../../src/traps/pending-names.ts';

const event = (n: number, pdu: TrapEvent['pdu'] = 'TrapV2'): TrapEvent => ({
  receivedAt: n, source: { address: '127.0.0.1', port: 1 }, version: '2c', pdu, trapOid: `1.3.6.1.4.1.9.${n}`,
  varbinds: [{ oid: '1.3.6.1.4.1.9.9', type: 'OctetString', value: '00 11' }],
});
const translator: Translator = {
  translate: (oid) => `X::n${oid.split('.').at(-1)}`,
  formatValue: (_oid, _type, _value, raw) => (raw ? Buffer.from(raw).toString('hex') : undefined),
};

function queue(max: number) {
  const out: TrapEvent[] = [];
  const full: number[] = [];
  const q = new PendingNames(max, (e) => void out.push(e), (m) => void full.push(m));
  return { q, out, full };
}

describe('PendingNames: traps wait for the dictionary, bounded, in arrival order', () => {
  it('holds events until settled, then names them (bytes for the display hint) in arrival order', () => {
    const { q, out } = queue(10);
    for (const n of [1, 2, 3]) q.record(event(n), [new Uint8Array([n])]);
    expect(out).toEqual([]);
    expect(q.pending).toBe(3);
    q.settle(translator);
    expect(out.map((e) => [e.receivedAt, e.trapName, e.varbinds[0].display])).toEqual([[1, 'X::n1', '01'], [2, 'X::n2', '02'], [3, 'X::n3', '03']]);
    q.record(event(4), []);
    expect(out.map((e) => e.trapName)).toEqual(['X::n1', 'X::n2', 'X::n3', 'X::n4']);
  });

  it.each<[string, TrapEvent['pdu'][], number, number, boolean]>([
    // label, arrivals, queue size, printed after settle, an inform threw
    ['under the limit: none dropped', ['TrapV2', 'TrapV2'], 2, 2, false],
    ['traps over the limit are dropped and counted', ['TrapV2', 'TrapV2', 'TrapV2', 'TrapV2'], 2, 2, false],
    ['an inform over the limit throws (not acknowledged)', ['TrapV2', 'InformRequest'], 1, 1, true],
  ])('%s', (_label, arrivals, max, printed, threw) => {
    const { q, out, full } = queue(max);
    let informThrew = false;
    arrivals.forEach((pdu, i) => {
      try {
        q.record(event(i, pdu), []);
      } catch {
        informThrew = true;
      }
    });
    expect(informThrew).toBe(threw);
    expect(q.dropped).toBe(arrivals.length - max > 0 ? arrivals.length - max : 0);
    expect(full).toEqual(q.dropped ? [max] : []);
    q.settle(undefined);
    expect(out.map((e) => e.receivedAt)).toEqual(arrivals.slice(0, printed).map((_, i) => i));
    expect(out.every((e) => e.trapName === undefined)).toBe(true);
  });
});
