/**
 * Against a real influxd 1.6: its chunked answers pass the answer-shape checks, and a chunk over
 * the response limit (lowered here from MAX_INFLUX_RESPONSE_BYTES) fails naming the URL and the limit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InfluxHttp } from '../../src/storage/influx/http.ts';
import { InfluxQuery } from '../../src/storage/influx/query.ts';
import { startInfluxd, type InfluxdPeer } from '../peers/influxd.ts';

const DB = `limit_${process.pid}`;
const T0 = Date.UTC(2026, 0, 1);
const MIN = 60_000;
const SAMPLES = 500;

let influxd: InfluxdPeer;
beforeAll(async () => {
  influxd = await startInfluxd();
  await influxd.query(`CREATE DATABASE "${DB}"`);
  const lines: string[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    lines.push(`snmp_interface,device=core1,ifName=Gi0/1 in_bps=${i * 1.5},in_octets=${i}i ${T0 + i * MIN}`);
    lines.push(`device_status,device=core1,snmp_version=2c state="${i % 50 === 0 ? 'down' : 'up'}",state_code=${i % 50 === 0 ? 3 : 0}i ${T0 + i * MIN}`);
  }
  const res = await fetch(`${influxd.url}/write?db=${DB}&precision=ms`, { method: 'POST', body: lines.join('\n') });
  expect(res.status).toBe(204);
});
afterAll(async () => influxd?.close());

const connect = (maxResponseBytes?: number) => new InfluxHttp({ url: influxd.url, database: DB, timeoutMs: 10_000, maxResponseBytes });
const range = { from: T0, to: T0 + SAMPLES * MIN };

describe('InfluxDB answers and the response limit (real influxd)', () => {
  it('well-formed answers pass: series, latest, availability, set-up queries', async () => {
    const query = new InfluxQuery(connect());
    const [series] = await query.querySeries({ measurement: 'snmp_interface', device: 'core1', fields: ['in_bps'], ...range });
    expect(series.points).toHaveLength(SAMPLES);
    expect(await query.querySeries({ measurement: 'snmp_interface', device: 'nobody', ...range })).toEqual([]);
    expect((await query.latest('snmp_interface', 'core1'))[0].values).toMatchObject({ in_octets: SAMPLES - 1 });
    const [av] = await query.availability({ ...range, maxGapMs: 2.5 * MIN, device: 'core1' });
    expect(av).toMatchObject({ device: 'core1', samples: SAMPLES, outages: SAMPLES / 50 });
    const rps = await connect().query(`SHOW RETENTION POLICIES ON "${DB}"`);
    expect(rps[0].series[0].values[0][0]).toBe('autogen');
  });

  it('a chunk over the limit fails with kind invalid, naming the URL and the limit', async () => {
    const query = new InfluxQuery(connect(4096));
    const tooBig = { kind: 'invalid', scope: 'storage', target: `influxdb ${influxd.url}`, action: 'query' };
    await expect(query.querySeries({ measurement: 'snmp_interface', device: 'core1', ...range })).rejects.toMatchObject({
      ...tooBig, reason: 'snmp_interface: response over 4096 bytes (limit); set a step or a limit, or narrow from..to',
    });
    await expect(query.availability({ ...range, maxGapMs: 2.5 * MIN })).rejects.toMatchObject({
      ...tooBig, reason: 'device_status: response over 4096 bytes (limit); narrow from..to or filter by device or tag',
    });
    // the same query narrowed fits
    const [narrow] = await query.querySeries({ measurement: 'snmp_interface', device: 'core1', fields: ['in_bps'], from: T0, to: T0 + 9 * MIN });
    expect(narrow.points).toHaveLength(10);
  });
});
