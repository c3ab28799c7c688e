/**
 * The alert manager in an outage storm: what each poller state change costs the AlertManager
 * (parent holds, parent suppression, recovery graces) when a core fails under N access devices,
 * and what it notifies. Topology: 4 cores; the even access devices behind core-1 only, the odd
 * ones behind core-1 and one of core-2..4; parentHold 30 s. Each change goes through what
 * src/main does on a poller state change (DeviceStateAlerts.handle, then
 * reevaluateSuppressed(at, device)), on the SQLite state store (a file in a temporary directory)
 * or the memory store, on a simulated clock advanced 1 ms per change; the manager's hold timer
 * runs on that clock (its setTimeout is replaced while a run lasts) and fires when it is due.
 * Phases:
 *   storm     core-1 down, then every access device down (one change each)
 *   hold end  the hold timer's firings, 30 s on: each ends the hold of one odd device's alert
 *   recovery  core-1 up, then every device up (back within the 30 s recovery grace)
 * Per phase and size: steps (changes; timer firings for hold end), the phase's CPU
 * (process.cpuUsage, timer firings and GC included), the wall time of one step (median, p99, max;
 * in recovery the max is core-1's change: it starts the recovery grace of every suppressed child at
 * once), and the alert changes it made: notified (what the notifier sends) and not (held,
 * suppressed; `repeated silently`: a suppression's reason rewritten, e.g. a recovery grace
 * started; cleared silently), with the rechecks the recovery grace asks the poller for. Not
 * included: the poller's parent checks and the periodic full re-evaluation. Expected: the storm
 * notifies core-1 only; the odd devices (a second core still up) are notified when their hold
 * ends; the even ones stay suppressed and clear silently in their recovery grace. Figures are
 * medians of --runs (a fresh manager and store each); the machine is shared: indicative only.
 * Core back up: core-1's change in recovery starts the grace of every suppressed child; the
 * manager may do that in slices between event-loop turns (AlertManager.whenIdle() resolves when
 * the last is done). Its line gives the longest event-loop block (the longest gap between turns of
 * a setImmediate ticker running through it), the total time from the change until the last slice
 * is done, and the turns that took. On SQLite the manager commits a slice's saves in one
 * transaction when its store has saveAll; --per-item-saves measures the store without it (one
 * commit per alert), as the other stores of the manager are.
 * Grace ends: then the same outage again, core-1 back and no device back within the grace, so every
 * grace started ends on the hold timer at the same moment (half the devices: those behind core-1
 * only); its line gives the same three figures from the timer's firing until the manager is idle.
 *   node bin/run-ts bench/alert-storm.ts [--devices 1000,5000] [--store sqlite,memory] [--runs 3] [--per-item-saves]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, isDeepStrictEqual } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type * as DeviceStateModule from '../src/alerts/device-state.ts';
import type * as ManagerModule from '../src/alerts/manager.ts';
import type * as AlertStoreModule from '../src/alerts/store.ts';
import type * as SuppressionModule from '../src/alerts/suppression.ts';
import type { AlertChange } from '../src/alerts/types.ts';
import type { DeviceState } from '../src/model/device.ts';
import type * as StateStoreModule from '../src/storage/state/store.ts';
import type * as StateAdaptersModule from '../src/traps/state-adapters.ts';
import { codeLabel, ensureProductNodeFlags, productionModule } from './production-code.ts';

ensureProductNodeFlags();
const { AlertManager } = await productionModule<typeof ManagerModule>('alerts/manager');
const { DeviceStateAlerts } = await productionModule<typeof DeviceStateModule>('alerts/device-state');
const { MemoryAlertStore } = await productionModule<typeof AlertStoreModule>('alerts/store');
const { suppressorFrom } = await productionModule<typeof SuppressionModule>('alerts/suppression');
const { StateStore } = await productionModule<typeof StateStoreModule>('storage/state/store');
const { alertStoreFrom } = await productionModule<typeof StateAdaptersModule>('traps/state-adapters');

const { values } = parseArgs({ options: {
  devices: { type: 'string', default: '1000,5000' },
  store: { type: 'string', default: 'sqlite,memory' },
  runs: { type: 'string', default: '3' },
  'per-item-saves': { type: 'boolean', default: false },
} });
const SIZES = values.devices.split(',').map(Number);
const STORES = values.store.split(',') as ('sqlite' | 'memory')[];
const RUNS = Math.max(1, Number(values.runs));
for (const s of STORES) if (s !== 'sqlite' && s !== 'memory') throw new Error(`--store: ${s} is not sqlite or memory`);
if (SIZES.some((n) => !Number.isInteger(n) || n < 2)) throw new Error(`--devices: ${values.devices} is not a list of whole numbers ≥ 2`);

const HOLD = 30_000;
const T0 = Date.parse('2026-12-06T22:00:00Z');
const CORES = ['core-1', 'core-2', 'core-3', 'core-4'];

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/**
 * Simulated time for a run, and the manager's hold timer on it (the only timer a run sets): while
 * installed, setTimeout only records the callback and when it is due; fireDue() runs it then.
 */
class SimulatedClock {
  now = T0;
  private readonly timers = new Map<object, { at: number; fn: () => void }>();

  install(): () => void {
    const real = { setTimeout: globalThis.setTimeout, clearTimeout: globalThis.clearTimeout };
    globalThis.setTimeout = ((fn: () => void, ms = 0) => {
      const handle = { unref: () => handle, ref: () => handle };
      this.timers.set(handle, { at: this.now + ms, fn });
      return handle;
    }) as unknown as typeof setTimeout;
    globalThis.clearTimeout = ((handle: object) => void this.timers.delete(handle)) as typeof clearTimeout;
    return () => Object.assign(globalThis, real);
  }

  hasDue(to: number): boolean {
    for (const t of this.timers.values()) if (t.at <= to) return true;
    return false;
  }

  /** runs the earliest timer due by `to` (the clock set to its time); false when none is */
  fireDue(to: number): boolean {
    let next: [object, { at: number; fn: () => void }] | undefined;
    for (const t of this.timers) if (t[1].at <= to && (!next || t[1].at < next[1].at)) next = t;
    if (!next) return false;
    this.timers.delete(next[0]);
    this.now = Math.max(this.now, next[1].at);
    next[1].fn();
    return true;
  }
}

interface Phase {
  name: string;
  steps: number;
  cpuMs: number;
  stepMs: number[];
  notified: Record<string, number>;
  quiet: Record<string, number>;
  /** the devices notified, when few */
  notifiedDevices: string[];
  rechecks: number;
}

/** core-1's change in recovery: the longest event-loop block, the time until the manager is idle, the turns that took */
interface BackUp { blockMs: number; totalMs: number; turns: number }

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** runs `fn` (synchronous) and waits until `idle()` resolves, a setImmediate ticker recording the gaps between event-loop turns */
async function timedBackUp(fn: () => void, idle: () => Promise<void>): Promise<BackUp> {
  const gaps: number[] = [];
  let last = performance.now();
  let ticking = true;
  const tick = () => {
    const t = performance.now();
    gaps.push(t - last);
    last = t;
    if (ticking) setImmediate(tick);
  };
  setImmediate(tick);
  await nextTurn();
  const from = gaps.length;
  const t0 = performance.now();
  fn();
  await idle();
  const totalMs = performance.now() - t0;
  ticking = false;
  await nextTurn();
  await nextTurn();
  const during = gaps.slice(from);
  return { blockMs: Math.max(...during), totalMs, turns: during.length };
}

const parentsFor = (i: number): string[] => (i % 2 === 0 ? ['core-1'] : ['core-1', CORES[1 + (((i - 1) / 2) % 3)]!]);

/** what an alert change counts as: notified (by kind), or why not */
function label(c: AlertChange): string {
  if (c.notify) return c.released ? 'released' : c.kind;
  if (c.kind === 'opened') return c.held ? 'held' : c.alert.suppressed ? `suppressed (${c.alert.suppressed.kind})` : 'opened quietly';
  return `${c.kind} silently`;
}

async function run(size: number, storeKind: 'sqlite' | 'memory', dir: string): Promise<{ phases: Phase[]; backUp: BackUp; graceEnds: BackUp & { released: number } }> {
  const clock = new SimulatedClock();
  const devices = Array.from({ length: size }, (_, i) => `acc-${String(i).padStart(5, '0')}`);
  const parents = new Map<string, readonly string[]>(devices.map((d, i) => [d, parentsFor(i)]));
  const states = new Map<string, DeviceState>([...CORES, ...devices].map((d) => [d, 'up']));
  const ctx = {
    windows: () => [], tagsOf: () => undefined,
    parentsOf: (d: string) => parents.get(d) ?? [], stateOf: (d: string) => states.get(d),
  };
  const state = storeKind === 'sqlite' ? new StateStore(join(dir, `state-${size}.db`)) : undefined;
  let phase: Phase | undefined;
  const uninstall = clock.install();
  try {
    const m = new AlertManager(state ? sqliteAlertStore(state) : new MemoryAlertStore(), {
      suppressor: suppressorFrom(ctx),
      parentHold: { ms: HOLD, parentsOf: ctx.parentsOf, stateOf: ctx.stateOf, recheck: () => void phase!.rechecks++ },
      logger: { warn: (w) => console.warn(`  warning: ${w}`), info: () => {} },
      now: () => clock.now,
    });
    m.onChange((c) => {
      const l = label(c);
      const into = c.notify ? phase!.notified : phase!.quiet;
      into[l] = (into[l] ?? 0) + 1;
      if (c.notify && phase!.notifiedDevices.length < 4) phase!.notifiedDevices.push(c.alert.device ?? c.alert.key);
    });
    const deviceAlerts = new DeviceStateAlerts(m);
    const phases: Phase[] = [];
    const measure = async (name: string, steps: (step: (fn: () => void) => void) => void | Promise<void>) => {
      phase = { name, steps: 0, cpuMs: 0, stepMs: [], notified: {}, quiet: {}, notifiedDevices: [], rechecks: 0 };
      const cpu0 = process.cpuUsage();
      await steps((fn) => {
        const t0 = performance.now();
        fn();
        phase!.stepMs.push(performance.now() - t0);
        phase!.steps++;
      });
      const cpu = process.cpuUsage(cpu0);
      phase.cpuMs = (cpu.user + cpu.system) / 1000;
      phases.push(phase);
    };
    // one poller state change as src/main handles it, 1 ms after the last; a timer due by then fires first
    const change = (device: string, to: DeviceState) => {
      clock.now += 1;
      while (clock.fireDue(clock.now));
      const from = states.get(device)!;
      states.set(device, to);
      deviceAlerts.handle({ device, from, to, time: clock.now });
      m.reevaluateSuppressed(clock.now, device);
    };
    gc();
    await measure('storm', (step) => {
      step(() => change('core-1', 'down'));
      for (const d of devices) step(() => change(d, 'down'));
    });
    await measure('hold end', (step) => {
      const end = clock.now + HOLD;
      while (clock.hasDue(end)) step(() => clock.fireDue(end));
      clock.now = end;
    });
    let backUp: BackUp | undefined;
    await measure('recovery', async (step) => {
      // the step's time is the synchronous part; slices the manager leaves for later turns are in backUp
      backUp = await timedBackUp(() => step(() => change('core-1', 'up')), () => m.whenIdle());
      for (const d of devices) step(() => change(d, 'up'));
      // what is left (graces of devices not back within HOLD: none at these sizes) ends on the timer
      const end = clock.now + HOLD;
      while (clock.fireDue(end));
    });
    if (m.stats.active !== 0 || m.heldCount !== 0 || m.recoveringCount !== 0) {
      console.warn(`  odd: after recovery ${m.stats.active} alerts active, ${m.heldCount} held, ${m.recoveringCount} in a recovery grace`);
    }
    // grace ends: the same outage again (not measured), core-1 back, no device back: the graces end together on the timer
    phase = { name: 'grace ends', steps: 0, cpuMs: 0, stepMs: [], notified: {}, quiet: {}, notifiedDevices: [], rechecks: 0 };
    change('core-1', 'down');
    for (const d of devices) change(d, 'down');
    const holdsEnd = clock.now + HOLD;
    while (clock.fireDue(holdsEnd));
    clock.now = holdsEnd;
    change('core-1', 'up');
    await m.whenIdle();
    const graces = m.recoveringCount;
    const releasedBefore = m.stats.released;
    const graceEnd = clock.now + HOLD;
    const ends = await timedBackUp(() => { while (clock.fireDue(graceEnd)); }, () => m.whenIdle());
    if (m.recoveringCount !== 0) console.warn(`  odd: ${m.recoveringCount} of ${graces} recovery graces left after their end`);
    m.close();
    return { phases, backUp: backUp!, graceEnds: { ...ends, released: m.stats.released - releasedBefore } };
  } finally {
    uninstall();
    state?.close();
    if (state) for (const f of ['', '-wal', '-shm']) rmSync(join(dir, `state-${size}.db${f}`), { force: true });
  }
}

/** the SQLite store as src/main has it (alertStoreFrom), with saveAll (one transaction) unless --per-item-saves */
function sqliteAlertStore(state: InstanceType<typeof StateStore>): AlertStoreModule.AlertStore {
  const store = alertStoreFrom(state);
  return values['per-item-saves'] ? { ...store, saveAll: undefined } : store;
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]!; };
const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(s.length * p))]!; };
const fixed = (x: number, d: number) => x.toFixed(d);
const counted = (r: Record<string, number>) => Object.entries(r).map(([k, n]) => `${n} ${k}`).join(', ');

console.log(`alert manager in an outage storm: 4 cores, access devices half behind core-1, half behind core-1 and core-2..4; parentHold ${HOLD / 1000} s; 1 ms simulated per change`);
console.log(`(median of ${RUNS} runs; shared machine, load average ${loadavg()[0]!.toFixed(1)}; ${codeLabel()})`);
console.log(`(SQLite saves: ${values['per-item-saves'] ? 'one commit per alert (--per-item-saves)' : 'one transaction per slice (saveAll)'})`);
console.log('devices  store   phase     steps  CPU ms  step median ms  p99 ms  max ms  notified | not notified');
const dir = mkdtempSync(join(tmpdir(), 'netpulse-bench-alert-storm-'));
try {
  for (const size of SIZES) {
    for (const storeKind of STORES) {
      const results: Awaited<ReturnType<typeof run>>[] = [];
      for (let r = 0; r < RUNS; r++) results.push(await run(size, storeKind, dir));
      const runs = results.map((r) => r.phases);
      runs[0]!.forEach((first, p) => {
        const of = runs.map((r) => r[p]!);
        const same = of.every((ph) => isDeepStrictEqual([ph.notified, ph.quiet, ph.rechecks], [first.notified, first.quiet, first.rechecks]));
        const few = first.notifiedDevices.length > 0 && first.notifiedDevices.length <= 3;
        const notified = counted(first.notified) + (few ? ` (${first.notifiedDevices.join(', ')})` : '');
        const quiet = [counted(first.quiet), first.rechecks ? `${first.rechecks} rechecks asked` : ''].filter(Boolean).join(', ');
        console.log([
          String(size).padStart(7), storeKind.padEnd(6), first.name.padEnd(8), String(first.steps).padStart(6),
          fixed(median(of.map((ph) => ph.cpuMs)), 0).padStart(7),
          fixed(median(of.map((ph) => median(ph.stepMs))), 3).padStart(15),
          fixed(median(of.map((ph) => pct(ph.stepMs, 0.99))), 3).padStart(7),
          fixed(median(of.map((ph) => Math.max(...ph.stepMs))), 1).padStart(7),
          ` ${notified || '-'} | ${quiet || '-'}${same ? '' : ' (counts differ between runs!)'}`,
        ].join(' '));
      });
      const ups = results.map((r) => r.backUp);
      console.log(`${String(size).padStart(7)} ${storeKind.padEnd(6)} core-1 back up: longest event-loop block ${fixed(median(ups.map((u) => u.blockMs)), 1)} ms, `
        + `total ${fixed(median(ups.map((u) => u.totalMs)), 1)} ms, ${median(ups.map((u) => u.turns))} event-loop turns (medians; blocks ${ups.map((u) => fixed(u.blockMs, 1)).join(' ')})`);
      const ends = results.map((r) => r.graceEnds);
      console.log(`${String(size).padStart(7)} ${storeKind.padEnd(6)} grace ends (${ends[0]!.released} released on the timer at once): longest event-loop block ${fixed(median(ends.map((u) => u.blockMs)), 1)} ms, `
        + `total ${fixed(median(ends.map((u) => u.totalMs)), 1)} ms, ${median(ends.map((u) => u.turns))} event-loop turns (medians; blocks ${ends.map((u) => fixed(u.blockMs, 1)).join(' ')})`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
