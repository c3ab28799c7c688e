/**
 * InfluxDB answers a stored /write with 204 (1.x, 2.x v1 compatibility, 3.x). Any other 2xx — a
 * proxy's login page, a misrouted URL — stored nothing: the batch is kept (spooled and retried as
 * for a 5xx), an error names the URL (no credentials), the status and the content-type, and the
 * health check says so. From the scripted InfluxDB on 127.0.0.1.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { InfluxHttp } from '../../src/storage/influx/http.ts';
import { pts, until, useScriptedInflux } from './scripted-influx.ts';

const PASSWORD = 's3cret-pw';
const EMPTY = gzipSync('');
const withCredentials = (url: string) => url.replace('http://', `http://admin:${PASSWORD}@`);

const { logs, scripted, writer } = useScriptedInflux();

describe('write(): only 204 is a stored write', () => {
  it.each([
    [200, 'text/html; charset=utf-8', '<html><form>Sign in</form></html>', '(content-type "text/html; charset=utf-8")'],
    [200, 'application/json', '{"results":[]}', '(content-type "application/json")'],
    [201, 'text/plain', 'created', '(content-type "text/plain")'],
    [202, 'text/plain', '', '(content-type "text/plain")'],
    [206, '', '', '(no content-type)'],
  ])('%i %s: retry, naming the URL, the status and the content-type', async (status, contentType, body, seen) => {
    const s = await scripted();
    s.script.push({ status, contentType, body });
    const outcome = await new InfluxHttp({ url: withCredentials(s.url), database: 'db', timeoutMs: 2000 }).write(EMPTY);
    expect(outcome).toEqual({
      ok: false, action: 'retry', status, notInflux: true,
      message: `HTTP ${status} ${seen} from ${s.url}/write: expected 204 from InfluxDB; a proxy?`,
    });
  });

  it('204 is ok', async () => {
    const s = await scripted();
    expect(await new InfluxHttp({ url: s.url, database: 'db', timeoutMs: 2000 }).write(EMPTY)).toEqual({ ok: true });
  });
});

describe('the writer keeps the points a proxy answered 200 for', () => {
  it('spools and retries them until InfluxDB answers 204: nothing lost, an error logged once, health says why meanwhile', async () => {
    const s = await scripted();
    const login = { status: 200, contentType: 'text/html', body: '<html><title>Login</title></html>' };
    s.script.push(login, login, login);
    const { w } = writer(withCredentials(s.url));
    const why = `HTTP 200 (content-type "text/html") from ${s.url}/write: expected 204 from InfluxDB; a proxy?`;
    w.write(pts(0, 10));
    await until(() => w.metrics().pointsWritten === 10, 'the points written after the proxy went away');
    expect(s.accepted.join('')).toBe(s.bodies[0]);
    expect(s.writes).toBe(4);
    expect(w.metrics()).toMatchObject({ pointsWritten: 10, pointsSpooled: 10, pointsDropped: 0, batchesFailed: 3, healthy: true });
    const errors = logs.filter((l) => l.includes(why));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^storage: influxdb http:\/\/127\.0\.0\.1:\d+: write: HTTP 200 .*; spooling to .*spool\.db and retrying$/);
    expect(logs.join('\n')).not.toContain(PASSWORD);
  });

  it('a proxy that always answers 200: points stay in the spool, counted as failed, unhealthy with the reason', async () => {
    const s = await scripted();
    const page = { status: 200, contentType: 'text/html', body: '<html>welcome</html>' };
    for (let i = 0; i < 1000; i++) s.script.push(page);
    const { w } = writer(withCredentials(s.url));
    w.write(pts(0, 25));
    // the server counts a write when it answers; the writer counts the failure once it has read that answer
    await until(() => w.metrics().pointsSpooled === 25 && s.writes >= 3 && w.metrics().batchesFailed >= 3, 'the points spooled and retried');
    const why = `HTTP 200 (content-type "text/html") from ${s.url}/write: expected 204 from InfluxDB; a proxy?`;
    expect(w.metrics()).toMatchObject({ healthy: false, detail: why, pointsWritten: 0, pointsDropped: 0, spoolPoints: 25 });
    expect(w.metrics().batchesFailed).toBeGreaterThanOrEqual(3);
    expect(s.accepted).toEqual([]);
    expect(logs.filter((l) => l.includes(why))).toHaveLength(1);
    expect(logs.join('\n')).not.toContain(PASSWORD);
  });

  it('an outage right after a proxy\'s 200 is warned of too (the log does not stop at the proxy\'s error)', async () => {
    const s = await scripted();
    s.script.push({ status: 200, contentType: 'text/html', body: '<html>login</html>' }, { status: 503, body: '{"error":"overloaded"}' });
    const { w } = writer(s.url);
    w.write(pts(0, 5));
    await until(() => w.metrics().pointsWritten === 5, 'the points written after the outage');
    expect(logs.filter((l) => l.includes(`${s.url}: write: HTTP 200 (content-type "text/html")`))).toHaveLength(1);
    expect(logs.filter((l) => l.includes(`${s.url}: write: HTTP 503: overloaded; spooling to`))).toHaveLength(1);
  });
});
