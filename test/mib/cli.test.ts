// The mib/oid commands as a user runs them: bin/netpulse in a child process.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOOD_MODULE, smallCorpus } from './fixtures.ts';

const BIN = resolve('bin/netpulse');
let corpus = '';
let extra = '';
let dataDir = '';

function netpulse(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NETPULSE_DATA_DIR: dataDir }, timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(() => {
  corpus = smallCorpus();
  extra = mkdtempSync(join(tmpdir(), 'netpulse-mib-extra-'));
  dataDir = mkdtempSync(join(tmpdir(), 'netpulse-data-'));
  writeFileSync(join(extra, 'GOOD-MIB.my'), GOOD_MODULE);
  writeFileSync(join(extra, 'BROKEN-MIB.txt'), 'BROKEN-MIB DEFINITIONS ::= BEGIN\nbrokenA OBJECT IDENTIFIER ::= { brokenB 1 }\nbrokenB OBJECT IDENTIFIER ::= { brokenA 1 }\nEND\n');
});
afterAll(() => { for (const d of [corpus, extra, dataDir]) if (d) rmSync(d, { recursive: true, force: true }); });

describe('netpulse mib / oid', () => {
  it('mib compile prints per-module errors with file and line, and totals', () => {
    const r = netpulse('mib', 'compile', corpus, extra);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/BROKEN-MIB\.txt:2: BROKEN-MIB: brokenA: OID loop/);
    expect(r.out).toMatch(/\d+ files, 8 modules \(1 with errors\), \d+ nodes, \d+ types, 2 errors/);
    const ok = netpulse('mib', 'compile', corpus);
    expect(ok.code, ok.out + ok.err).toBe(0);
  }, 60_000);

  it('oid list prints MODULE::name<TAB>OID per node, -M colon-separated or repeated', () => {
    const a = netpulse('oid', 'list', '-M', `${corpus}:${extra}`);
    expect(a.code, a.err).toBe(0);
    const lines = a.out.trim().split('\n');
    expect(lines.every((l) => /^[A-Za-z][\w-]*::[\w#-]+\t\d+(\.\d+)*$/.test(l))).toBe(true);
    expect(lines).toContain('IF-MIB::ifDescr\t1.3.6.1.2.1.2.2.1.2');
    expect(lines).toContain('GOOD-MIB::goodState\t1.3.6.1.4.1.99999.2.1.1');
    const b = netpulse('oid', 'list', '-M', corpus, '-M', extra);
    expect(b.out).toBe(a.out);
  }, 60_000);

  it('oid show prints the definition like snmptranslate -Td', () => {
    const r = netpulse('oid', 'show', 'IF-MIB::ifOperStatus', '-M', corpus);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('ifOperStatus OBJECT-TYPE');
    expect(r.out).toContain('SYNTAX\tINTEGER {up(1), down(2)');
    expect(r.out).toContain('::= { iso(1) org(3) dod(6) internet(1) mgmt(2) mib-2(1) interfaces(2) ifTable(2) ifEntry(1) 8 }');
    expect(netpulse('oid', 'show', 'noSuchThing', '-M', corpus).code).toBe(1);
  }, 60_000);

  it('oid search ranks names, OID prefixes and description words', () => {
    const r = netpulse('oid', 'search', 'ifOperStatus', '-M', corpus, '--limit', '3');
    expect(r.code, r.err).toBe(0);
    expect(r.out.split('\n')[0]).toMatch(/^IF-MIB::ifOperStatus\t1\.3\.6\.1\.2\.1\.2\.2\.1\.8\t/);
    const p = netpulse('oid', 'search', '1.3.6.1.2.1.31.1.1.1', '-M', corpus, '--limit', '2');
    expect(p.out.split('\n')[0]).toMatch(/^IF-MIB::ifXEntry\t/);
    const t = netpulse('oid', 'translate', '1.3.6.1.2.1.2.2.1.2.7', 'IF-MIB::ifInOctets.1', '-M', corpus);
    expect(t.out).toBe('IF-MIB::ifDescr.7\n.1.3.6.1.2.1.2.2.1.10.1\n');
  }, 60_000);
});
