/** A re-evaluation slice larger than the stack takes as call arguments (sliceSize: Infinity, maxActive raised). */
import { expect, it } from 'vitest';
import { AlertManager } from '../../src/alerts/manager.ts';
import { MemoryAlertStore } from '../../src/alerts/store.ts';

const N = 150_000;

it(`one slice releasing ${N} maintenance-suppressed alerts returns them all`, () => {
  let inWindow = true;
  const m = new AlertManager(new MemoryAlertStore(), {
    maxActive: 200_000, sliceSize: Infinity, logger: { warn: () => {}, info: () => {} },
    suppressor: () => (inWindow ? { kind: 'maintenance', reason: 'maintenance w', by: 'w' } : undefined),
  });
  for (let i = 0; i < N; i++) m.raise({ action: 'raise', key: `k${i}`, source: 'trap', rule: 'r', device: `d${i}`, severity: 'major', message: 'm', time: 1 });
  expect(m.suppressedCount).toBe(N);
  inWindow = false;
  const out = m.reevaluateSuppressed(2);
  expect(out.length).toBe(N);
  expect(m.stats.released).toBe(N);
});
