// Acceptance: on the whole shipped corpus (mibs/), the compiler resolves at least 99.5% of the
// (name → OID) pairs that Net-SNMP's own parser resolves (`snmptranslate -m ALL -Tz`), run here.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileMibs } from '../../src/mib/index.ts';
import { allSubdirectories, repoMibsDir } from '../../src/mib/paths.ts';

const SNMPTRANSLATE = '/usr/bin/snmptranslate';

describe('MIB compiler coverage vs Net-SNMP snmptranslate -Tz', () => {
  it('resolves ≥ 99.5% of the name → OID pairs Net-SNMP resolves', () => {
    expect(existsSync(SNMPTRANSLATE), `${SNMPTRANSLATE} is missing: apt-get install snmp (test/ensure-peers.sh)`).toBe(true);
    const root = repoMibsDir();
    const dirs = allSubdirectories([root]);
    expect(dirs.length).toBeGreaterThan(2);

    const out = execFileSync(SNMPTRANSLATE, ['-M', dirs.join(':'), '-m', 'ALL', '-Tz'], {
      encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, MIBDIRS: dirs.join(':'), MIBS: 'ALL' },
    });
    const theirs: { name: string; oid: string }[] = [];
    for (const line of out.split('\n')) {
      const m = /^"([^"]*)"\s+"([^"]*)"/.exec(line);
      if (m) theirs.push({ name: m[1], oid: m[2] });
    }
    expect(theirs.length, 'snmptranslate printed no nodes').toBeGreaterThan(70000);

    const { dictionary } = compileMibs([root]);
    const ours = new Set(dictionary.nodes.map((n) => `${n.name}\t${n.oid}`));
    // Net-SNMP names the unnamed arcs of `{ iso 2 840 10036 }` "anonymous#N" (N is its own
    // counter): such a pair counts as resolved when our tree has that OID.
    const ourOids = new Set<string>();
    for (const n of dictionary.nodes) {
      const arcs = n.oid.split('.');
      for (let i = 1; i <= arcs.length; i++) ourOids.add(arcs.slice(0, i).join('.'));
    }
    const missing = theirs.filter((p) => !(ours.has(`${p.name}\t${p.oid}`) || (/^anonymous#\d+$/.test(p.name) && ourOids.has(p.oid))));
    const ratio = (theirs.length - missing.length) / theirs.length;
    const byPrefix = new Map<string, number>();
    for (const p of missing) {
      const k = p.oid.split('.').slice(0, 7).join('.');
      byPrefix.set(k, (byPrefix.get(k) ?? 0) + 1);
    }
    const anonymous = theirs.filter((p) => /^anonymous#\d+$/.test(p.name)).length;
    console.log(
      `coverage vs snmptranslate -Tz: ${theirs.length - missing.length}/${theirs.length} pairs = ${(ratio * 100).toFixed(3)}% ` +
      `(${anonymous} anonymous#N pairs matched by OID); ours: ${dictionary.size} nodes\n` +
      `missing: ${missing.length}` +
      (missing.length ? `; by OID prefix: ${[...byPrefix].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([k, v]) => `${k}:${v}`).join(' ')}; first: ${missing.slice(0, 15).map((p) => `${p.name}=${p.oid}`).join(' ')}` : ''),
    );
    expect(ratio).toBeGreaterThanOrEqual(0.995);
  }, 180_000);
});
