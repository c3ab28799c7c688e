// Retention of learned SNMPv3 engines (traps.engineIdRetention): rows not seen for the period go in the nightly job, our own engine never.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pruneState, StateRetention, StateStore, type StateRetentionPolicy } from '../../src/storage/index.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 4);
const dir = mkdtempSync(join(tmpdir(), 'netpulse-engine-retention-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
let state: StateStore;
beforeEach(() => { state = new StateStore(join(dir, `state${++n}.db`)); });
afterEach(() => state.close());

const ENGINES = (keepMs: number | false | undefined): StateRetentionPolicy => ({ alertsKeepClearedMs: false, trapsKeepMs: false, trapsMaxRows: false, engineIdsKeepMs: keepMs });
const sender = (i: number) => `trap-sender:192.0.2.${i}:161`;
const sources = () => state.engineIds.list().map((e) => e.source);

describe('pruneState: SNMPv3 engine IDs', () => {
  it('deletes the engines last seen before the period, keeps recent ones and our own engine however old', async () => {
    state.engineIds.put('local-engine', '8000000001020304', { engineBoots: 3, now: NOW - 400 * DAY });
    state.engineIds.put(sender(1), '80001f8880aa', { now: NOW - 31 * DAY });
    state.engineIds.put(sender(2), '80001f8880bb', { now: NOW - 29 * DAY });
    state.engineIds.put(sender(3), '80001f8880cc', { now: NOW - 90 * DAY });
    state.engineIds.put(sender(3), '80001f8880cc', { now: NOW - DAY }); // seen again: kept
    const res = await pruneState(state, ENGINES(30 * DAY), { now: NOW, pause: async () => {} });
    expect(res).toEqual({ alerts: 0, traps: 0, engineIds: 1, batches: 1, stopped: false });
    expect(sources()).toEqual(['local-engine', sender(2), sender(3)]);
    expect(state.engineIds.get('local-engine')).toMatchObject({ engineId: '8000000001020304', engineBoots: 3 });
  });

  it('goes in batches of batchSize, a pause after each', async () => {
    state.transaction(() => { for (let i = 0; i < 250; i++) state.engineIds.put(sender(i), `80001f88${i.toString(16).padStart(4, '0')}`, { now: NOW - 60 * DAY + i }); });
    const left: number[] = [];
    const res = await pruneState(state, ENGINES(30 * DAY), { now: NOW, batchSize: 100, pause: async () => { left.push(state.engineIds.list().length); } });
    expect(left).toEqual([150, 50, 0]);
    expect(res).toMatchObject({ engineIds: 250, batches: 3 });
  });

  it('false or an absent setting keeps them, and nothing to delete takes no batch', async () => {
    state.engineIds.put(sender(1), '80001f8880aa', { now: NOW - 400 * DAY });
    for (const keep of [false, undefined] as const) expect(await pruneState(state, ENGINES(keep), { now: NOW, pause: async () => {} })).toMatchObject({ engineIds: 0, batches: 0 });
    expect(await pruneState(state, ENGINES(500 * DAY), { now: NOW, pause: async () => {} })).toMatchObject({ engineIds: 0, batches: 0 });
    expect(sources()).toEqual([sender(1)]);
  });

  it('the runtime job logs and counts them', async () => {
    state.engineIds.put(sender(1), '80001f8880aa', { now: NOW - 40 * DAY });
    const lines: string[] = [];
    const job = new StateRetention(state, ENGINES(30 * DAY), { now: () => NOW, log: (l) => lines.push(l), pause: async () => {} });
    await job.run();
    expect(lines[0]).toBe('storage: state retention: removed 0 cleared alerts (kept forever) and 0 traps (no age limit), 1 SNMPv3 engine IDs (not seen for 30d) in 1 batches');
    expect(job.totals).toEqual({ alerts: 0, traps: 0, engineIds: 1 });
  });
});
