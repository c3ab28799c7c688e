/**
 * docker-compose.yml and the Grafana provisioning: pinned images, bind mounts that exist,
 * and dashboard queries that only use measurements, fields and tags of the schema.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseConfig } from '../../src/config/index.ts';
import { SCHEMA } from '../../src/model/schema.ts';
import { startInfluxd, type InfluxdPeer } from '../peers/influxd.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'));
const services = Object.entries(compose.services as Record<string, any>);
const DASHBOARDS = join(ROOT, 'src/storage/grafana/dashboards');
const schema = SCHEMA as Record<string, { tags: readonly string[]; fields: Record<string, string> }>;

/** The measurement, fields and tags one InfluxQL statement refers to. */
export function influxqlRefs(q: string): { measurements: string[]; fields: string[]; tags: string[] } {
  const noAlias = q.replace(/\bAS\s+"[^"]*"/gi, '');
  const measurements = [...noAlias.matchAll(/\bFROM\s+"([^"]+)"/gi)].map((m) => m[1]);
  const show = /^\s*SHOW TAG VALUES/i.test(noAlias);
  const select = show ? '' : (/^\s*SELECT\s+([\s\S]*?)\s+FROM\s/i.exec(noAlias)?.[1] ?? '');
  const rest = show ? noAlias.replace(/\bFROM\s+"[^"]+"/i, '') : noAlias.slice(noAlias.search(/\sFROM\s/i)).replace(/\bFROM\s+"[^"]+"/i, '');
  const ids = (s: string) => [...s.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
  return { measurements, fields: ids(select), tags: ids(rest) };
}

function dashboardQueries(): { file: string; query: string }[] {
  const out: { file: string; query: string }[] = [];
  for (const file of readdirSync(DASHBOARDS).filter((f) => f.endsWith('.json'))) {
    const d = JSON.parse(readFileSync(join(DASHBOARDS, file), 'utf8'));
    for (const p of d.panels ?? []) for (const t of p.targets ?? []) out.push({ file: `${file} panel "${p.title}"`, query: t.query });
    for (const v of d.templating?.list ?? []) if (v.type === 'query') out.push({ file: `${file} variable ${v.name}`, query: v.query });
  }
  return out;
}

describe('docker-compose.yml', () => {
  it('has netpulse, influxdb and grafana', () => {
    expect(services.map(([n]) => n).sort()).toEqual(['grafana', 'influxdb', 'netpulse']);
  });

  it.each(services)('%s: image pinned to a version tag', (_name, svc) => {
    expect(svc.image, 'image').toMatch(/^[\w./-]+:\d+\.\d+(\.\d+)?[\w.-]*$/);
    expect(svc.image).not.toMatch(/:latest$/);
  });

  it('InfluxDB is a 1.x image', () => {
    expect(compose.services.influxdb.image).toMatch(/^influxdb:1\./);
  });

  it.each(services)('%s: every bind mount exists in the repo, every named volume is declared', (_name, svc) => {
    for (const v of (svc.volumes ?? []) as string[]) {
      const [src] = v.split(':');
      if (src.startsWith('.') || src.startsWith('/')) expect(existsSync(resolve(ROOT, src)), `${v}`).toBe(true);
      else expect(Object.keys(compose.volumes ?? {}), v).toContain(src);
    }
  });

  it('services talk over loopback only', () => {
    const text = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
    for (const [, svc] of services) expect(svc.network_mode).toBe('host');
    for (const ip of text.match(/\b\d{1,3}(\.\d{1,3}){3}\b/g) ?? []) expect(ip).toMatch(/^127\./);
  });

  it('the netpulse config it starts with is valid and points at the compose InfluxDB', () => {
    const cmd = compose.services.netpulse.command.join(' ');
    const file = /--config\s+(\S+)/.exec(cmd)?.[1];
    expect(file).toBeDefined();
    const config = parseConfig(readFileSync(join(ROOT, file!), 'utf8'), file, {});
    expect(config.storage.influx?.url).toBe('http://127.0.0.1:8086');
    const ds = parse(readFileSync(join(ROOT, 'src/storage/grafana/provisioning/datasources/influxdb.yaml'), 'utf8'));
    expect(ds.datasources[0].jsonData.dbName).toBe(config.storage.influx?.database);
  });
});

describe('Grafana dashboards', () => {
  const queries = dashboardQueries();

  it('there are dashboards for device overview, interface traffic and ICMP', () => {
    expect(readdirSync(DASHBOARDS).sort()).toEqual(['device-overview.json', 'icmp.json', 'interface-traffic.json']);
    expect(queries.length).toBeGreaterThan(15);
  });

  it.each(queries)('$file uses only schema measurements, fields and tags', ({ query }) => {
    const refs = influxqlRefs(query);
    expect(refs.measurements.length).toBeGreaterThan(0);
    for (const m of refs.measurements) {
      expect(Object.keys(schema), query).toContain(m);
      for (const f of refs.fields) expect(Object.keys(schema[m].fields), `${m}.${f} in ${query}`).toContain(f);
      for (const t of refs.tags) expect(schema[m].tags, `tag ${t} in ${query}`).toContain(t);
    }
  });

  it.each([
    ['SELECT mean("in_bps") AS "in" FROM "snmp_interface" WHERE "device" =~ /^$device$/ GROUP BY time(1m), "ifName"', ['snmp_interface'], ['in_bps'], ['device', 'ifName']],
    ['SHOW TAG VALUES FROM "icmp" WITH KEY = "device"', ['icmp'], [], ['device']],
  ])('influxqlRefs(%s)', (q, m, f, t) => {
    expect(influxqlRefs(q)).toEqual({ measurements: m, fields: f, tags: t });
  });
});

describe('Grafana dashboard queries run on a real influxd', () => {
  let influxd: InfluxdPeer;
  beforeAll(async () => {
    influxd = await startInfluxd();
    await influxd.query('CREATE DATABASE netpulse');
  });
  afterAll(async () => influxd?.close());

  it.each(dashboardQueries())('$file parses and runs', async ({ query }) => {
    const q = query
      .replaceAll('$timeFilter', 'time > now() - 1h')
      .replaceAll('$__interval', '1m')
      .replaceAll('$device', 'r1')
      .replaceAll('$ifName', 'Gi0/1'.replace('/', '\\/'));
    const res = await influxd.query(q, 'netpulse');
    expect(res.results[0].error, q).toBeUndefined();
  });
});
