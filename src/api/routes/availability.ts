/**
 * Availability: per device and a report over the inventory's devices, from the stores' device_status
 * fold (src/storage/availability.ts holds the definitions). One sample counts for at most
 * 2.5 of the device's poll intervals, so one missed poll is bridged and a longer gap is no data.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteContext } from '../context.ts';
import { AvailabilityFold, deviceMaxGapMs, deviceMaxGaps, maxGapOf as storedMaxGapOf } from '../../storage/availability.ts';
import { deviceParams, errors } from '../schemas/common.ts';
import { availabilityItem, availabilityReport, availabilityReportQuery, deviceAvailabilityQuery, type AVAILABILITY_SORTS } from '../schemas/availability.ts';
import { errorPayload, noDevicePayload } from '../errors.ts';
import { resolveRange, type TimeSpec } from '../time.ts';
import type { AvailabilityPort, AvailabilityQuery, DeviceAvailability, DeviceView } from '../services.ts';

/** the longest range one request may cover (a quarter) */
export const MAX_AVAILABILITY_RANGE_MS = 92 * 86_400_000;
const DEFAULT_RANGE_MS = 86_400_000;

/** 2.5 poll intervals (storage's deviceMaxGapMs: the day cache's warm-up keys its rows by the same value) */
const maxGapOf = (d: Pick<DeviceView, 'intervalMs'> | undefined) => deviceMaxGapMs(d?.intervalMs);

/** from/to with defaults, or the 400 message naming the bad field */
function range(q: { from?: TimeSpec; to?: TimeSpec }, now: number): { from: number; to: number } | string {
  const r = resolveRange(q, now, { defaultSpanMs: DEFAULT_RANGE_MS, maxSpanMs: MAX_AVAILABILITY_RANGE_MS, nonEmpty: true });
  return typeof r === 'string' ? r : { from: r.from!, to: r.to };
}

function tagFilter(spec: string | undefined): (tags: Record<string, string>) => boolean {
  if (!spec) return () => true;
  const wanted = spec.split(',').map((p) => {
    const i = p.indexOf(':');
    return i === -1 ? { key: p, value: undefined } : { key: p.slice(0, i), value: p.slice(i + 1) };
  });
  return (tags) => wanted.every(({ key, value }) => (Object.hasOwn(tags, key) && (value === undefined || tags[key] === value)));
}

/** inventory names per store query: the store caps one query at maxQuerySeries devices (10,000) */
export const AVAILABILITY_CHUNK = 500;

/** the stored availability of exactly these devices (those with samples), read AVAILABILITY_CHUNK at a time */
async function availabilityOf(port: AvailabilityPort, names: string[], q: AvailabilityQuery): Promise<DeviceAvailability[]> {
  const out: DeviceAvailability[] = [];
  for (let i = 0; i < names.length; i += AVAILABILITY_CHUNK) {
    const chunk = names.slice(i, i + AVAILABILITY_CHUNK);
    const maxGapByDevice: Record<string, number> = Object.assign(Object.create(null), Object.fromEntries(chunk.map((d) => [d, storedMaxGapOf(q, d)])));
    out.push(...(await port.availability({ ...q, devices: chunk, maxGapByDevice })));
  }
  return out;
}

type Sort = (typeof AVAILABILITY_SORTS)[number];
const nullLast = (a: number | null, b: number | null) => (a === null ? (b === null ? 0 : 1) : b === null ? -1 : a - b);
const COMPARE: Record<Sort, (a: DeviceAvailability, b: DeviceAvailability) => number> = {
  availability: (a, b) => nullLast(a.icmpAvailabilityPct, b.icmpAvailabilityPct) || nullLast(a.snmpAvailabilityPct, b.snmpAvailabilityPct) || b.durations.down - a.durations.down,
  'snmp-availability': (a, b) => nullLast(a.snmpAvailabilityPct, b.snmpAvailabilityPct) || nullLast(a.icmpAvailabilityPct, b.icmpAvailabilityPct),
  outages: (a, b) => b.outages - a.outages || b.durations.down - a.durations.down,
  downtime: (a, b) => b.durations.down - a.durations.down || b.outages - a.outages,
  name: () => 0,
};

export const availabilityRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, ctx) => {
  const { devices, availability } = ctx.services;

  app.get('/devices/:id/availability', {
    config: ctx.read,
    schema: {
      tags: ['devices'],
      summary: 'Availability of one device over from..to (max 92 days): time per state, ICMP and SNMP availability %, outages, state timeline',
      params: deviceParams,
      querystring: deviceAvailabilityQuery,
      response: { 200: availabilityItem, ...errors },
    },
  }, async (req, reply) => {
    const r = range(req.query, Date.now());
    if (typeof r === 'string') return reply.code(400).send(errorPayload(400, r));
    const device = await devices.get(req.params.id);
    if (!device) return reply.code(404).send(noDevicePayload(req.params.id));
    const maxGapMs = maxGapOf(device);
    const [result] = await availability.availability({ ...r, device: device.name, maxGapMs, timeline: true, maxSegments: req.query.segments });
    return { ...result, maxGapMs };
  });

  app.get('/reports/availability', {
    config: ctx.read,
    schema: {
      tags: ['reports'],
      summary: 'Availability of every device in the inventory (or those with tag=key:value; includeRemoved=true: also devices no longer in it) over from..to (max 92 days), worst first',
      querystring: availabilityReportQuery,
      response: { 200: availabilityReport, ...errors },
    },
  }, async (req, reply) => {
    const r = range(req.query, Date.now());
    if (typeof r === 'string') return reply.code(400).send(errorPayload(400, r));
    const matches = tagFilter(req.query.tag);
    const inventory = (await devices.list()).filter((d) => matches(d.tags ?? {}));
    // no prototype: with includeRemoved the store returns every device it holds data for, deleted ones (`constructor`, `toString`) included
    const maxGapByDevice = deviceMaxGaps(inventory);
    const q = { ...r, maxGapMs: maxGapOf(undefined), maxGapByDevice };
    const withRemoved = req.query.includeRemoved && !req.query.tag;
    const stored = withRemoved ? await availability.availability(q) : await availabilityOf(availability, inventory.map((d) => d.name), q);
    const byName = new Map(stored.map((a) => [a.device, a]));
    const items = inventory.map((d) => ({
      ...(byName.get(d.name) ?? new AvailabilityFold(d.name, r.from, r.to, maxGapByDevice[d.name], undefined).finish()),
      maxGapMs: maxGapByDevice[d.name],
      tags: d.tags ?? {},
    }));
    if (withRemoved) {
      const listed = new Set(inventory.map((d) => d.name));
      for (const a of stored) if (!listed.has(a.device)) items.push({ ...a, maxGapMs: q.maxGapMs, tags: {} });
    }
    const cmp = COMPARE[req.query.sort];
    items.sort((a, b) => cmp(a, b) || (a.device < b.device ? -1 : a.device > b.device ? 1 : 0));
    return { ...r, sort: req.query.sort, items: req.query.limit === undefined ? items : items.slice(0, req.query.limit) };
  });
};
