/**
 * MIB compiler benchmark: whole-corpus compile vs `snmptranslate -m ALL -Tz` on the same
 * directories, dictionary load from cache, `oid search` latency, dictionary memory.
 * Run: node bin/run-ts bench/mib-compile.ts [--runs N] [DIR...]   (default: mibs/)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type * as MibModule from '../src/mib/index.ts';
import type * as MibPathsModule from '../src/mib/paths.ts';
import { mibSnapshotIsCurrent } from '../bin/build-fresh.mjs';
import { codeLabel, productionModule } from './production-code.ts';

const { compileMibs, loadDictionary } = await productionModule<typeof MibModule>('mib/index');
const { allSubdirectories, repoMibsDir } = await productionModule<typeof MibPathsModule>('mib/paths');

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const argv = process.argv.slice(2);
let runs = 3;
const dirs: string[] = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--runs') runs = Math.max(1, Number(argv[++i]));
  else dirs.push(argv[i]);
}
if (dirs.length === 0) dirs.push(repoMibsDir());

/**
 * the collector's background work from the compiles in this process done, and a moment's pause,
 * so a measured process starts on an otherwise quiet machine (both use the second core)
 */
const quiet = (): void => {
  gc();
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
};
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(s.length * p))]; };
const ms = (x: number) => `${x.toFixed(x < 10 ? 2 : 0)} ms`;
const loadavg = (await import('node:os')).loadavg;

console.log(`MIB compile benchmark on ${dirs.join(', ')} (${runs} runs; shared machine, load average ${loadavg()[0].toFixed(1)}; ${codeLabel()})`);

// 1. compile vs snmptranslate, runs interleaved so both see the same machine load
const netsnmpDirs = allSubdirectories(dirs).join(':');
const compileTimes: number[] = [];
const writeTimes: number[] = [];
const processTimes: number[] = [];
const stTimes: number[] = [];
let nodes = 0;
let modules = 0;
let stLines = 0;
const netpulseBin = fileURLToPath(new URL('../bin/netpulse', import.meta.url));
for (let i = 0; i < runs; i++) {
  gc();
  let t0 = performance.now();
  const r = compileMibs(dirs);
  compileTimes.push(performance.now() - t0);
  nodes = r.dictionary.size;
  modules = r.modules.length;

  // the same compile plus writing the cache files (what `netpulse mib compile` does)
  const dir = mkdtempSync(join(tmpdir(), 'netpulse-mib-bench-'));
  try {
    gc();
    t0 = performance.now();
    compileMibs(dirs, { cacheDir: dir, force: true });
    writeTimes.push(performance.now() - t0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  // the two whole processes back to back, in alternating order, each started on a quiet machine
  const translate = (): void => {
    quiet();
    const t = performance.now();
    const out = execFileSync('snmptranslate', ['-M', netsnmpDirs, '-m', 'ALL', '-Tz'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    stTimes.push(performance.now() - t);
    stLines = out.split('\n').filter(Boolean).length;
  };
  const compileProcess = (): void => {
    quiet();
    const t = performance.now();
    // what an engineer runs: bin/netpulse (build/ when fresh, else tsx) compiling without the cache
    const p = spawnSync(netpulseBin, ['mib', 'compile', '--no-cache', '--quiet', ...dirs], { encoding: 'utf8' });
    processTimes.push(performance.now() - t);
    if (p.status !== 0 && p.status !== 1) console.log(`  mib compile failed: ${p.stderr}`);
  };
  if (i % 2 === 0) { translate(); compileProcess(); } else { compileProcess(); translate(); }
}
const pairRatios = processTimes.map((t, k) => t / stTimes[k]);
const list = (xs: number[]) => `[${xs.map(ms).join(', ')}]`;
console.log(`compile (in process, no cache write): median ${ms(median(compileTimes))} ${list(compileTimes)} (first run includes JIT warm-up), ${modules} modules, ${nodes} nodes`);
console.log(`snmptranslate -M ... -m ALL -Tz (whole process, parse + print): median ${ms(median(stTimes))} ${list(stTimes)}, ${stLines} nodes`);
console.log(`ratio compile / snmptranslate: ${(median(compileTimes) / median(stTimes)).toFixed(2)}x`);
console.log(`compile + cache write (in process, dictionary.json + texts.jsonl): median ${ms(median(writeTimes))} ${list(writeTimes)}; ratio ${(median(writeTimes) / median(stTimes)).toFixed(2)}x`);
const snapshot = mibSnapshotIsCurrent() ? 'from its startup snapshot, build/bundle/mib.blob' : 'no current startup snapshot (see bin/netpulse)';
console.log(`compile as a fresh process (bin/netpulse mib compile --no-cache --quiet: node start + compile + error summary; ${snapshot}): median ${ms(median(processTimes))} ${list(processTimes)}; ratio ${(median(processTimes) / median(stTimes)).toFixed(2)}x; per run against the snmptranslate run beside it: median ${median(pairRatios).toFixed(2)}x (${pct(pairRatios, 0.25).toFixed(2)}–${pct(pairRatios, 0.75).toFixed(2)})`);
console.log(`load average now ${loadavg()[0].toFixed(1)}`);
{
  // every object a compile allocates, garbage included, as V8's sampling heap profiler counts it
  // (one sample per 4 KB on average); the heap's growth with GC held off undercounts: a
  // mark-compact may still run
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  compileMibs(dirs);
  const { profile } = await session.post('HeapProfiler.stopSampling');
  session.disconnect();
  type SampleNode = { selfSize: number; children: SampleNode[] };
  const total = (n: SampleNode): number => n.children.reduce((sum, c) => sum + total(c), n.selfSize);
  console.log(`allocated per compile (sampled, garbage included): ${(total(profile.head as SampleNode) / 1e6).toFixed(0)} MB`);
}

// 2. load from cache
const cacheDir = mkdtempSync(join(tmpdir(), 'netpulse-mib-bench-'));
try {
  compileMibs(dirs, { cacheDir });
  const loadTimes: number[] = [];
  const textTimes: number[] = [];
  const firstUse: number[] = [];
  let heap = 0;
  const keep: unknown[] = [];
  for (let i = 0; i < Math.max(runs, 5); i++) {
    gc();
    const before = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const r = loadDictionary(cacheDir)!;
    loadTimes.push(performance.now() - t0);
    const tu = performance.now();
    r.dictionary.translate('1.3.6.1.2.1.2.2.1.2.1');
    r.dictionary.resolve('IF-MIB::ifDescr');
    firstUse.push(performance.now() - tu);
    const t1 = performance.now();
    r.dictionary.ensureTexts();
    textTimes.push(performance.now() - t1);
    gc();
    heap = process.memoryUsage().heapUsed - before;
    keep.push(r);
  }
  console.log(`load from cache (target < 1 s): median ${ms(median(loadTimes))} [${loadTimes.map(ms).join(', ')}]; + first translate/resolve (builds the OID and name indexes): median ${ms(median(firstUse))}; + descriptions on first need: median ${ms(median(textTimes))}`);
  console.log(`memory of the loaded dictionary (heap, with descriptions): ${(heap / 1e6).toFixed(0)} MB`);
  /** median wall time of 3 runs of `bin/netpulse oid ARGS` on this cache */
  const oidCommand = (...args: string[]): number => {
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const p = spawnSync(netpulseBin, ['oid', args[0], '-M', dirs.join(':'), '--cache-dir', cacheDir, ...args.slice(1)], { encoding: 'utf8' });
      times.push(performance.now() - t0);
      if (p.status !== 0) console.log(`  oid ${args[0]} failed: ${p.stderr}`);
    }
    return median(times);
  };
  const cli = oidCommand('translate', '1.3.6.1.2.1.2.2.1.2.1');
  console.log(`bin/netpulse oid translate (whole process: node start + cache load): median ${ms(cli)}`);

  // 3. search latency: the first search builds the word index (and stores it in the cache), the next process reads it
  const dict = loadDictionary(cacheDir)!.dictionary;
  const t0 = performance.now();
  dict.search('interface errors');
  const first = performance.now() - t0;
  const again = loadDictionary(cacheDir)!.dictionary;
  const t1 = performance.now();
  again.search('interface errors');
  const firstStored = performance.now() - t1;
  const cliSearch = oidCommand('search', 'interface errors');
  const sample = dict.nodes.filter((_, i) => i % 997 === 0);
  const queries: string[] = [];
  for (const n of sample) {
    queries.push(n.name, n.name.slice(0, 5), n.oid.split('.').slice(0, 7).join('.'), (n.description ?? 'status').split(/\s+/).slice(0, 2).join(' '));
  }
  const times: number[] = [];
  for (let round = 0; round < 3; round++) {
    for (const q of queries) {
      const s = performance.now();
      dict.search(q, { limit: 20 });
      times.push(performance.now() - s);
    }
  }
  console.log(`oid search (target p99 < 10 ms): ${times.length} queries, p50 ${ms(pct(times, 0.5))}, p99 ${ms(pct(times, 0.99))}, max ${ms(Math.max(...times))}; first search incl. descriptions and word index build ${ms(first)}, with the stored word index (words.bin) ${ms(firstStored)}; bin/netpulse oid search (whole process) median ${ms(cliSearch)}`);
} finally {
  rmSync(cacheDir, { recursive: true, force: true });
}
