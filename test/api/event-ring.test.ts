import { describe, expect, it } from 'vitest';
import { EventRing, type ResumeCheck } from '../../src/api/event-ring.ts';

/** a ring with values 'e<id>' of `bytes` each, ids firstId.. */
function filled(pushes: number, limits = { maxEvents: 4, maxBytes: 1000 }, firstId = 100, bytes = 10): EventRing<string> {
  const ring = new EventRing<string>(limits, firstId);
  for (let i = 0; i < pushes; i++) ring.push(`e${firstId + i}`, bytes);
  return ring;
}
const values = (ring: EventRing<string>, after: number, limit?: number) => ring.after(after, limit).map((e) => e.value);

describe('EventRing bounds', () => {
  it.each([
    // pushes, limits, bytes each → oldestId, lastId, size, bytes held
    [0, { maxEvents: 4, maxBytes: 1000 }, 10, 100, 99, 0, 0],
    [1, { maxEvents: 4, maxBytes: 1000 }, 10, 100, 100, 1, 10],
    [4, { maxEvents: 4, maxBytes: 1000 }, 10, 100, 103, 4, 40],
    [5, { maxEvents: 4, maxBytes: 1000 }, 10, 101, 104, 4, 40],
    [11, { maxEvents: 4, maxBytes: 1000 }, 10, 107, 110, 4, 40],
    [10, { maxEvents: 100, maxBytes: 35 }, 10, 107, 109, 3, 30],
    [3, { maxEvents: 100, maxBytes: 30 }, 10, 100, 102, 3, 30],
    // a value larger than maxBytes is still kept, alone
    [3, { maxEvents: 4, maxBytes: 5 }, 10, 102, 102, 1, 10],
    [9, { maxEvents: 1, maxBytes: 1000 }, 10, 108, 108, 1, 10],
  ])('%i pushes into %o of %i bytes: oldest %i, last %i, %i held, %i bytes', (pushes, limits, bytes, oldest, last, size, held) => {
    const ring = filled(pushes, limits, 100, bytes);
    expect([ring.oldestId, ring.lastId, ring.size, ring.bytes]).toEqual([oldest, last, size, held]);
    expect(values(ring, 0)).toEqual(Array.from({ length: size }, (_, i) => `e${oldest + i}`));
  });

  it.each([
    [{ maxEvents: 0, maxBytes: 1 }, 1, /maxEvents/], [{ maxEvents: 1.5, maxBytes: 1 }, 1, /maxEvents/],
    [{ maxEvents: 1, maxBytes: 0 }, 1, /maxBytes/], [{ maxEvents: 1, maxBytes: NaN }, 1, /maxBytes/],
    [{ maxEvents: 1, maxBytes: 1 }, 0, /firstId/], [{ maxEvents: 1, maxBytes: 1 }, 2 ** 53, /firstId/],
  ])('refuses %o from id %d', (limits, firstId, message) => {
    expect(() => new EventRing(limits, firstId)).toThrow(message);
  });

  it('ids stay consecutive while the slots wrap many times', () => {
    const ring = filled(0, { maxEvents: 3, maxBytes: 1e9 }, 1);
    for (let i = 1; i <= 1000; i++) expect(ring.push(`e${i}`, 1)).toBe(i);
    expect(values(ring, 0)).toEqual(['e998', 'e999', 'e1000']);
    expect(ring.get(999)).toEqual({ id: 999, value: 'e999' });
  });
});

describe('EventRing resume', () => {
  // ring: firstId 100, 6 pushes, maxEvents 4 → holds 102..105, evicted 100..101
  const ring = filled(6);
  it.each<[number, ResumeCheck, string[]]>([
    [105, 'ok', []],
    [104, 'ok', ['e105']],
    [101, 'ok', ['e102', 'e103', 'e104', 'e105']],
    [100, 'too-old', ['e102', 'e103', 'e104', 'e105']],
    [99, 'too-old', ['e102', 'e103', 'e104', 'e105']],
    [98, 'unknown', ['e102', 'e103', 'e104', 'e105']],
    [1, 'unknown', ['e102', 'e103', 'e104', 'e105']],
    [106, 'unknown', []],
    [1e15, 'unknown', []],
    [NaN, 'unknown', []],
    [101.5, 'unknown', []],
  ])('after %d: %s, held after it %o', (lastId, check, after) => {
    expect(ring.resumeFrom(lastId)).toBe(check);
    if (Number.isInteger(lastId)) expect(values(ring, lastId)).toEqual(after);
  });

  it.each<[number, number, ResumeCheck]>([
    // an empty ring: only "nothing seen since the start" resumes
    [0, 99, 'ok'], [0, 98, 'unknown'], [0, 100, 'unknown'],
    // nothing evicted yet: every issued id resumes
    [3, 99, 'ok'], [3, 102, 'ok'], [3, 103, 'unknown'],
  ])('%i pushes, after %d: %s', (pushes, lastId, check) => {
    expect(filled(pushes).resumeFrom(lastId)).toBe(check);
  });

  it.each([
    [101, 2, ['e102', 'e103']], [103, 1, ['e104']], [105, 5, []], [0, 3, ['e102', 'e103', 'e104']],
  ])('after %d, at most %d: %o', (lastId, limit, want) => expect(values(ring, lastId, limit)).toEqual(want));

  it.each([[101, undefined], [102, 'e102'], [105, 'e105'], [106, undefined], [NaN, undefined]])('get(%d) → %s', (id, want) => {
    expect(ring.get(id)?.value).toBe(want);
  });
});
