/** Query times: one parser (src/api/time.ts) and one range check, with the route's own now, on every route that takes from/to. */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { call, makeApp } from './helpers.ts';
import { parseTimeSpec, resolveRange } from '../../src/api/time.ts';

const NOW = Date.UTC(2026, 0, 1);
const D = 86_400_000;

describe('parseTimeSpec', () => {
  it.each([
    ['now', { ago: 0 }], ['-1h', { ago: 3_600_000 }], ['-92d', { ago: 92 * D }],
    ['1764800000', { at: 1_764_800_000_000 }], // epoch seconds (below 1e10)
    ['1764800000000', { at: 1_764_800_000_000 }], // epoch ms (from 1e11)
    ['0', { at: 0 }],
    ['2026-01-01', { at: NOW }], ['2026-01-01T00:00', { at: NOW }], ['2026-01-01T01:00:00+01:00', { at: NOW }],
    ['2026-01-01T00:00:00.5Z', { at: NOW + 500 }], ['2026-01-01 00:00:00z', { at: NOW }],
    ['2024-02-29', { at: Date.UTC(2024, 1, 29) }],
  ])('%s → %j', (input, want) => expect(parseTimeSpec(input)).toEqual(want));

  it.each([
    ['2026-02-30', 'no such date'], ['2025-02-29', 'no such date'], ['2026-13-01', 'no such date'], ['2026-01-01T24:00', 'no such date'],
    ['2026-01-01T10:60', 'no such date'], ['2026-01-01T10:00+25:00', 'no such zone offset'], ['2026-01-01Z', 'a zone needs a time'],
    ['50000000000', 'ambiguous'], ['99999999999999999', 'expected a time'], ['1969-12-31T23:59:59Z', 'before 1970'],
    ['yesterday', 'expected a time'], ['-1', 'expected a time'], ['', 'expected a time'], ['2026-1-1', 'expected a time'],
  ])('%s is refused (%s)', (input, why) => expect(parseTimeSpec(input)).toContain(why));
});

describe('resolveRange', () => {
  it.each([
    [{ from: { ago: D } }, {}, { from: NOW - D, to: NOW }],
    [{}, { defaultSpanMs: D }, { from: NOW - D, to: NOW }],
    [{}, {}, { to: NOW }],
    [{ from: { ago: 92 * D } }, { maxSpanMs: 92 * D }, { from: NOW - 92 * D, to: NOW }],
    [{ from: { ago: 0 }, to: { ago: 0 } }, {}, { from: NOW, to: NOW }],
  ])('%j with %j → %j', (q, rules, want) => expect(resolveRange(q, NOW, rules)).toEqual(want));

  it.each([
    [{ from: { ago: 0 }, to: { ago: 3_600_000 } }, {}, 'query.from: must be before query.to (2026-01-01T00:00:00.000Z > 2025-12-31T23:00:00.000Z)'],
    [{ from: { ago: 0 }, to: { ago: 0 } }, { nonEmpty: true }, 'query.from: must be before query.to (2026-01-01T00:00:00.000Z = 2026-01-01T00:00:00.000Z)'],
    [{ to: { ago: 999_999_999 * D } }, {}, 'query.to: before 1970-01-01T00:00:00Z'],
    [{ from: { ago: 999_999_999 * D } }, {}, 'query.from: before 1970-01-01T00:00:00Z'],
    [{ from: { ago: 93 * D } }, { maxSpanMs: 92 * D }, 'query.from: range over 92 days (narrow from..to)'],
  ])('%j with %j → %s', (q, rules, want) => expect(resolveRange(q, NOW, rules)).toBe(want));
});

describe('routes with from/to', () => {
  let app: FastifyInstance;
  beforeAll(async () => ({ app } = await makeApp()));
  afterAll(async () => app?.close());
  afterEach(() => vi.restoreAllMocks());

  const ROUTES = ['/api/v1/devices/core-rtr1/availability', '/api/v1/reports/availability', '/api/v1/devices/core-rtr1/series?measurement=icmp', '/api/v1/traps'];
  const get = (route: string, qs: string) => call(app, { method: 'GET', url: `${route}${route.includes('?') ? '&' : '?'}${qs}` });

  it.each(ROUTES)('%s: the same 400 for from after to', async (route) => {
    const r = await get(route, 'from=now&to=-1h');
    expect([r.status, r.json.message]).toEqual([400, expect.stringMatching(/^query\.from: must be before query\.to \(.+ > .+\)$/)]);
  });

  it.each(ROUTES)('%s: a time outside the Date range is a 400 naming the field, never a 500', async (route) => {
    for (const [qs, field] of [['from=now&to=-999999999d', 'query.to'], ['from=-999999999d', 'query.from'], ['to=99999-01-01', 'query.to']]) {
      const r = await get(route, qs);
      expect([r.status, r.json.message]).toEqual([400, expect.stringContaining(field)]);
    }
  });

  it.each(ROUTES)('%s: impossible dates and ambiguous epoch numbers are refused', async (route) => {
    for (const qs of ['from=2026-02-30', 'from=50000000000']) {
      const r = await get(route, qs);
      expect([r.status, r.json.message]).toEqual([400, expect.stringContaining('query.from')]);
    }
  });

  it('the documented maximum range holds however the clock moves between validation and the route', async () => {
    let t = Date.now();
    vi.spyOn(Date, 'now').mockImplementation(() => (t += 5));
    for (const route of ROUTES.slice(0, 2)) expect((await get(route, 'from=-92d')).status).toBe(200);
  });

  it('epoch seconds are read as seconds, ISO without a zone as UTC', async () => {
    const s = await get('/api/v1/devices/core-rtr1/series?measurement=icmp', 'from=1764800000&to=1764803600');
    expect([s.json.from, s.json.to]).toEqual([1_764_800_000_000, 1_764_803_600_000]);
    const iso = await get('/api/v1/devices/core-rtr1/series?measurement=icmp', 'from=2025-12-03T22:00&to=2025-12-03T23:00:00');
    expect([iso.json.from, iso.json.to]).toEqual([Date.UTC(2025, 11, 3, 22), Date.UTC(2025, 11, 3, 23)]);
  });
});
