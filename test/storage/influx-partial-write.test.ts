/**
 * InfluxDB 1.x partial writes (400 "partial write: ... dropped=N": the good points are stored):
 * only the dropped points are quarantined and nothing is sent twice; batches split on 413 and
 * quarantined lines keep string fields that hold newlines whole; a spooled batch that cannot be
 * decompressed does not stall the replay. Messages as influxd 1.6.7 sends them; a real influxd too.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { droppedPoints, splitPoints } from '../../src/storage/influx/partial-write.ts';
import { startInfluxd, type InfluxdPeer } from '../peers/influxd.ts';
import { pts, until, useScriptedInflux } from './scripted-influx.ts';

describe('splitPoints', () => {
  it.each([
    ['m v=1 1\nm v=2 2\n', ['m v=1 1', 'm v=2 2']],
    ['m s="a\nb" 1\nm v=2 2', ['m s="a\nb" 1', 'm v=2 2']],
    ['m s="q\\"\nx" 1\n', ['m s="q\\"\nx" 1']],
    ['m,t=say\\ "hi v=1 1\nm v=2 2\n', ['m,t=say\\ "hi v=1 1', 'm v=2 2']],
    ['', []],
  ])('%j', (text, points) => expect(splitPoints(text)).toEqual(points));
});

describe('droppedPoints', () => {
  const batch = ['n v=1 1000', 'n,t=a v="s" 2000', 'n v= 4000', 'q,t=x\\ y v=1i 5000', 'q,t=z v=2 6000', 'r time=1 7000', 'r,a=1,time=x v=1 8000'];
  it.each([
    ['parse errors', "partial write: unable to parse 'n v= 4000': missing field value dropped=0", [2]],
    ['two parse errors', "partial write: unable to parse 'n v= 4000': missing field value\nunable to parse 'r time=1 7000': x dropped=0", [2, 5]],
    ['type conflict', 'partial write: field type conflict: input field "v" on measurement "n" is type string, already exists as type float dropped=1', [1]],
    ['type conflict, escaped tag', 'partial write: field type conflict: input field "v" on measurement "q" is type integer, already exists as type float dropped=1', [3]],
    ['invalid field name', 'partial write: invalid field name: input field "time" on measurement "r" is invalid dropped=1', [5]],
    ['invalid tag key', 'partial write: invalid tag key: input tag "time" on measurement "r" is invalid dropped=1', [6]],
    ['more dropped than named', 'partial write: field type conflict: input field "v" on measurement "n" is type string, already exists as type float dropped=2', undefined],
    ['beyond retention', 'partial write: points beyond retention policy dropped=1', undefined],
    ['not partial', "unable to parse 'n v= 4000': missing field value", undefined],
  ])('%s', (_, error, bad) => {
    const got = droppedPoints(error as string, batch);
    expect(got && [...got].sort()).toEqual(bad);
  });
});

const { logs, scripted, writer } = useScriptedInflux();

const quarantined = (dir: string) => readFileSync(join(dir, 'q.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));

describe('InfluxWriter and partial writes (scripted server)', () => {
  it('quarantines only the lines a partial write names, counts the rest as written, sends nothing twice', async () => {
    const s = await scripted();
    const { w, dir } = writer(s.url);
    await w.flush();
    s.script.push({ status: 400, body: JSON.stringify({ error: "partial write: unable to parse 'm,d=x v=3i 3': bad timestamp dropped=0" }) });
    w.write(pts(0, 10));
    await w.flush();
    expect(s.bodies).toHaveLength(1);
    expect(w.metrics()).toMatchObject({ pointsWritten: 9, pointsQuarantined: 1, pointsDropped: 0 });
    expect(quarantined(dir)).toMatchObject([{ points: 1, lines: 'm,d=x v=3i 3' }]);
  });

  it('a partial write it cannot attribute keeps the whole batch and says the good points were stored', async () => {
    const s = await scripted();
    const { w, dir } = writer(s.url);
    await w.flush();
    s.script.push({ status: 400, body: '{"error":"partial write: points beyond retention policy dropped=4"}' });
    w.write(pts(0, 10));
    await w.flush();
    expect(w.metrics()).toMatchObject({ pointsWritten: 0, pointsQuarantined: 10 });
    expect(quarantined(dir)[0].points).toBe(10);
    expect(logs.some((l) => l.includes('stored the good ones'))).toBe(true);
  });

  it('splits a 413 batch between points, not inside a string field holding a newline', async () => {
    const s = await scripted();
    const { w } = writer(s.url);
    await w.flush();
    s.script.push({ status: 413, body: '{"error":"Request Entity Too Large"}' });
    w.write(pts(0, 10, (i) => ({ s: i === 5 ? 'two\nlines' : 'one' })));
    await w.flush();
    expect(s.bodies.slice(1).map((b) => splitPoints(b).length)).toEqual([5, 5]);
    expect(s.bodies[2].startsWith('m,d=x s="one" 5')).toBe(false);
    expect(w.metrics()).toMatchObject({ pointsWritten: 10, pointsQuarantined: 0 });
  });

  it('a half of a 413 batch that then fails with a 5xx is spooled and replayed without waiting for more data', async () => {
    const s = await scripted();
    const { w } = writer(s.url);
    await w.flush();
    s.script.push({ status: 413, body: '{"error":"Request Entity Too Large"}' }, { status: 503, body: '{"error":"busy"}' });
    w.write(pts(0, 10));
    await until(() => w.metrics().pointsWritten === 10, 'both halves written');
    expect(w.metrics()).toMatchObject({ spoolPoints: 0, pointsDropped: 0 });
  });

  it('drops (and logs) a spooled batch that cannot be decompressed instead of stalling the replay', async () => {
    const s = await scripted();
    const { w } = writer(s.url, { prepare: (spool) => spool.append(Buffer.from('not gzip'), 3) });
    await until(() => w.metrics().spoolPoints === 0, 'the spool to empty');
    w.write(pts(0, 10));
    await w.flush();
    expect(w.metrics()).toMatchObject({ pointsDropped: 3, pointsWritten: 10 });
    expect(logs.some((l) => l.includes('cannot be decompressed') && l.includes('DROPPED 3 points'))).toBe(true);
  });
});

describe('InfluxWriter and partial writes (real influxd)', () => {
  let influxd: InfluxdPeer;
  beforeAll(async () => {
    influxd = await startInfluxd();
  });
  afterAll(async () => {
    await influxd?.close();
  });
  const count = async (db: string): Promise<number> =>
    (await influxd.query('SELECT count("v") FROM "m"', db)).results[0].series?.[0]?.values?.[0]?.[1] ?? 0;

  it('direct: a type conflict in a batch quarantines that point only', async () => {
    const { w, dir } = writer(influxd.url, { database: 'partial_direct' });
    w.write(pts(0, 10));
    await w.flush();
    w.write(pts(10, 10, (i) => ({ v: i === 13 ? 'text' : BigInt(i) })));
    await w.flush();
    expect(await count('partial_direct')).toBe(19);
    expect(w.metrics()).toMatchObject({ pointsWritten: 19, pointsQuarantined: 1, pointsDropped: 0 });
    expect(quarantined(dir)).toMatchObject([{ points: 1, lines: 'm,d=x v="text" 13' }]);
  });

  it('replay: a merged request that is partly rejected is not sent again', async () => {
    const { w, dir } = writer(influxd.url, { database: 'partial_replay' });
    w.write(pts(0, 10));
    await w.flush();
    await influxd.stop();
    w.write(pts(10, 20));
    w.write(pts(30, 10, (i) => ({ v: i === 35 ? 1.5 : BigInt(i) })));
    w.write(pts(40, 20));
    await w.flush(300);
    await until(() => w.metrics().spoolPoints === 50, 'the spool to fill');
    const before = w.metrics().pointsWritten;
    await influxd.start();
    await until(() => w.metrics().spoolPoints === 0, 'the replay', 20_000);
    expect(await count('partial_replay')).toBe(59);
    expect(w.metrics().pointsWritten - before).toBe(49);
    expect(w.metrics()).toMatchObject({ pointsQuarantined: 1, pointsDropped: 0 });
    expect(quarantined(dir)).toMatchObject([{ points: 1, lines: 'm,d=x v=1.5 35' }]);
  });
});
