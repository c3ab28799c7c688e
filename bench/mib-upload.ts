/**
 * Event-loop stall of MIB uploads (POST /api/v1/mibs's path: worker parse and resolve, sliced
 * index rebuild, swap) on the runtime's dictionary of the shipped mibs/ corpus, with every index
 * already built as on a server after some traffic; then the first lookups after each upload.
 * Prints the event-loop delay (1 ms resolution) and a 5 ms ticker's longest gap per upload.
 *
 *   node bin/run-ts bench/mib-upload.ts [FILE|synthetic:MB ...]
 *   (default: the largest shipped vendor module and synthetic 5 MB and 20 MB modules)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { openDictionary } from '../src/main/dictionary.ts';
import { oidsPort } from '../src/main/adapters/oids.ts';

const mibsDir = fileURLToPath(new URL('../mibs', import.meta.url));
const given = process.argv.slice(2);
const args = given.length > 0 ? given : [join(mibsDir, 'vendor/extreme/WING-MIB.mib'), 'synthetic:5', 'synthetic:20'];
const dataDir = mkdtempSync(join(tmpdir(), 'netpulse-mib-upload-bench-'));
const clean = () => rmSync(dataDir, { recursive: true, force: true });
const holder = openDictionary({ dataDir, mibDirs: [mibsDir], log: (l) => console.log(l), sync: true, uploadParser: { maxHeapMb: 2048, timeLimitMs: 120_000, maxQueued: 4 } });
const port = oidsPort(holder);

/** a valid module of ~`bytes` bytes: one OBJECT-TYPE per ~190 bytes */
function bigModule(bytes: number, name = 'BIG-MIB'): string {
  const parts = [`${name} DEFINITIONS ::= BEGIN
IMPORTS MODULE-IDENTITY, OBJECT-TYPE, Integer32, enterprises FROM SNMPv2-SMI DisplayString FROM SNMPv2-TC;
bigMib MODULE-IDENTITY LAST-UPDATED "202401010000Z" ORGANIZATION "netpulse" CONTACT-INFO "none" DESCRIPTION "synthetic" ::= { enterprises 99998 }
`];
  for (let i = 0, n = parts[0].length; n < bytes; i++) {
    const d = `bigObject${i} OBJECT-TYPE\n    SYNTAX ${i % 3 ? 'Integer32 (0..' + (i + 10) + ')' : 'DisplayString'}\n    MAX-ACCESS read-only\n    STATUS current\n    DESCRIPTION "synthetic object number ${i} of a large upload"\n    ::= { bigMib ${i + 1} }\n`;
    parts.push(d);
    n += d.length;
  }
  parts.push('END\n');
  return parts.join('');
}
const warm = (d = holder.current()) => {
  d.translate('1.3.6.1.2.1.2.2.1.2.7'); d.search('ifDescr'); d.search('bgp peer state'); d.search('1.3.6.1.2.1.2'); d.children('1.3.6.1.2.1.2.2.1');
};
warm();

async function measure(label: string, text: string) {
  const h = monitorEventLoopDelay({ resolution: 1 });
  let last = performance.now(), maxGap = 0;
  const gaps: number[] = [];
  const tick = setInterval(() => { const t = performance.now(); const g = t - last; if (g > 50) gaps.push(Math.round(g)); maxGap = Math.max(maxGap, g); last = t; }, 5);
  h.enable();
  const t0 = performance.now();
  const r = await port.addModule(text);
  const tUpload = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 20));
  // the first lookups after the upload (indexes rebuilt lazily)
  const d = holder.current();
  const t1 = performance.now(); d.translate('1.3.6.1.2.1.2.2.1.2.7'); const tTr = performance.now() - t1;
  const t2 = performance.now(); d.search('ifDescr'); const tSn = performance.now() - t2;
  const t3 = performance.now(); d.search('bgp peer state'); const tSw = performance.now() - t3;
  const t4 = performance.now(); d.children('1.3.6.1.2.1.2.2.1'); const tCh = performance.now() - t4;
  await new Promise((r) => setTimeout(r, 20));
  h.disable(); clearInterval(tick);
  console.log(`${label}: ${(text.length / 1e6).toFixed(2)} MB ok=${r.ok} ${r.ok ? (r as any).module.nodeCount + ' nodes' : JSON.stringify(r).slice(0, 200)}; upload ${tUpload.toFixed(0)} ms; after: translate ${tTr.toFixed(0)} ms, name search ${tSn.toFixed(0)} ms, word search ${tSw.toFixed(0)} ms, children ${tCh.toFixed(0)} ms`);
  console.log(`  event-loop delay: max ${(h.max / 1e6).toFixed(1)} ms, p99 ${(h.percentile(99) / 1e6).toFixed(1)} ms, mean ${(h.mean / 1e6).toFixed(1)} ms; 5 ms ticker max gap ${maxGap.toFixed(0)} ms; gaps>50ms: ${gaps.join(', ')}`);
}

for (const a of args) {
  const text = a.startsWith('synthetic:') ? bigModule(Number(a.slice(10)) * 1e6, `BIG${a.slice(10).replace(".", "P")}-MIB`) : readFileSync(a, 'latin1');
  await measure(a.replace(/^.*\//, ''), text);
}
console.log(`dictionary: ${holder.current().size} nodes; load ${(await import('node:os')).loadavg().map((x) => x.toFixed(2)).join(' ')}`);
await holder.close();
clean();
