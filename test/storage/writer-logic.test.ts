/**
 * Retry logic against a scripted HTTP endpoint (5xx and 4xx on demand, which a healthy
 * influxd will not produce), the backoff table, and a spool whose disk is full.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Spool } from '../../src/storage/influx/spool.ts';
import { backoffDelay } from '../../src/storage/influx/writer.ts';
import { freeTcpPort } from '../peers/influxd.ts';
import { pts, until, useScriptedInflux } from './scripted-influx.ts';

describe('backoffDelay', () => {
  it.each([
    [0, 0, 50], [0, 1, 100], [1, 0, 100], [1, 1, 200], [3, 0.5, 600], [10, 1, 5000], [40, 0, 2500],
  ])('attempt %i, random %f -> %i ms (base 100, max 5000)', (attempt, r, ms) => {
    expect(backoffDelay(attempt, 100, 5000, () => r)).toBe(ms);
  });
});

const { logs, tempDir, scripted, writer } = useScriptedInflux();

describe('InfluxWriter retry policy', () => {
  it('retries 5xx with backoff, keeping order', async () => {
    const s = await scripted();
    const { w } = writer(s.url);
    await w.flush();
    s.script.push({ status: 503 }, { status: 500 });
    w.write(pts(0, 30));
    await until(() => w.metrics().pointsWritten === 30);
    expect(w.metrics().batchesFailed).toBe(2);
    expect(w.metrics().pointsDropped).toBe(0);
    const values = s.accepted.join('').split('\n').filter(Boolean).map((l) => Number(/v=(\d+)i/.exec(l)![1]));
    expect(values).toEqual(Array.from({ length: 30 }, (_, i) => i));
  });

  it('never retries a 400: one request, then quarantine, and the next batch goes through', async () => {
    const s = await scripted();
    const { w } = writer(s.url);
    await w.flush();
    const before = s.writes;
    s.script.push({ status: 400, body: '{"error":"unable to parse \'m x\': invalid field format"}' });
    w.write(pts(0, 10));
    await w.flush();
    w.write(pts(10, 10));
    await w.flush();
    expect(s.writes - before).toBe(2);
    expect(w.metrics()).toMatchObject({ pointsQuarantined: 10, pointsWritten: 10, pointsDropped: 0 });
    expect(logs.some((l) => l.includes('invalid field format'))).toBe(true);
  });

  it('splits a batch on 413 and sends the halves', async () => {
    const s = await scripted();
    const { w } = writer(s.url);
    await w.flush();
    s.script.push({ status: 413, body: '{"error":"Request Entity Too Large"}' });
    w.write(pts(0, 10));
    await w.flush();
    expect(s.accepted.map((b) => b.trimEnd().split('\n').length)).toEqual([5, 5]);
    expect(w.metrics().pointsWritten).toBe(10);
  });

  it('disk full for the spool: counted, logged, writing continues', async () => {
    const dir = tempDir('netpulse-full-');
    const spool = new Spool(join(dir, 'spool.db'), 10_000_000);
    let full = true;
    const realAppend = spool.append.bind(spool);
    spool.append = (body, points) => {
      if (full) throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
      return realAppend(body, points);
    };
    // nothing listens on this port: every batch goes to the spool
    const { w } = writer(`http://127.0.0.1:${await freeTcpPort()}`, { spool });
    w.write(pts(0, 20));
    await until(() => w.metrics().pointsDropped === 20);
    expect(logs.some((l) => l.includes('disk is full') && l.includes('DROPPED 10 points'))).toBe(true);
    full = false;
    w.write(pts(20, 10));
    await until(() => w.metrics().spoolPoints === 10);
    expect(w.metrics().pointsDropped).toBe(20);
  });
});
