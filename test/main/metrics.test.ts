// The runtime's metric families rendered as /metrics text, from a real AlertManager.
import { afterEach, describe, expect, it } from 'vitest';
import { DeviceStateAlerts } from '../../src/alerts/device-state.ts';
import { AlertManager } from '../../src/alerts/manager.ts';
import { suppressorFrom } from '../../src/alerts/suppression.ts';
import { renderMetrics } from '../../src/api/metrics-text.ts';
import { RejectCounters } from '../../src/traps/counters.ts';
import { runtimeMetrics, type MetricsSources } from '../../src/main/adapters/metrics.ts';
import type { DeviceState } from '../../src/model/device.ts';
import { DeviceStatusRegistry, type SchedulerMetrics } from '../../src/poller/index.ts';
import type { StorageMetrics } from '../../src/storage/index.ts';
import { deviceStateChanges } from '../alerts/device-changes.ts';

const scheduler: SchedulerMetrics = {
  jobs: 0, pollsStarted: 0, pollsDone: 0, pollsFailed: 0, missedPolls: 0, abandonedSlots: 0, queueDepth: 0, parked: 0, inFlight: 0,
  pollDurationMs: { count: 0, p50: 0, p95: 0, p99: 0, max: 0 }, eventLoopDelayMs: { p50: 0, p99: 0, max: 0 },
};
const storage: StorageMetrics = {
  backend: 'sqlite', healthy: true, pointsWritten: 0, pointsSpooled: 0, pointsReplayed: 0, pointsDropped: 0, pointsQuarantined: 0,
  pointsInvalid: 0, batchesFailed: 0, integersWrapped: 0, spoolPoints: 0, spoolBytes: 0, pendingPoints: 0,
};

const managers: AlertManager[] = [];
afterEach(() => {
  for (const m of managers.splice(0)) m.close();
});

function metricsText(alerts: AlertManager): string {
  const src: MetricsSources = {
    scheduler: () => scheduler, registry: new DeviceStatusRegistry(), storage: () => storage,
    alerts: () => alerts.stats, dictionaryNodes: () => 0, startedAt: 0,
  };
  return renderMetrics(runtimeMetrics(src, 1000));
}

describe('runtime metrics', () => {
  it('export the polls a busy name lookup left undecided', () => {
    const alerts = new AlertManager(undefined, { logger: { warn: () => {}, info: () => {} } });
    managers.push(alerts);
    const src: MetricsSources = {
      scheduler: () => ({ ...scheduler, lookupBusy: 7 }), registry: new DeviceStatusRegistry(), storage: () => storage,
      alerts: () => alerts.stats, dictionaryNodes: () => 0, startedAt: 0,
    };
    expect(renderMetrics(runtimeMetrics(src, 1000))).toMatch(/^netpulse_polls_lookup_busy_total 7$/m);
  });

  it('export the parked polls on their own and in the queue depth', () => {
    const alerts = new AlertManager(undefined, { logger: { warn: () => {}, info: () => {} } });
    managers.push(alerts);
    const src: MetricsSources = {
      scheduler: () => ({ ...scheduler, queueDepth: 5, parked: 2 }), registry: new DeviceStatusRegistry(), storage: () => storage,
      alerts: () => alerts.stats, dictionaryNodes: () => 0, startedAt: 0,
    };
    const text = renderMetrics(runtimeMetrics(src, 1000));
    expect(text).toMatch(/^# TYPE netpulse_polls_parked gauge$/m);
    expect(text).toMatch(/^netpulse_polls_parked 2$/m);
    expect(text).toMatch(/^netpulse_poll_queue_depth 5$/m);
  });

  it('export the notifications a config reload dropped with their channel', () => {
    const alerts = new AlertManager(undefined, { logger: { warn: () => {}, info: () => {} } });
    managers.push(alerts);
    const src: MetricsSources = {
      scheduler: () => scheduler, registry: new DeviceStatusRegistry(), storage: () => storage,
      alerts: () => alerts.stats, dictionaryNodes: () => 0, startedAt: 0, notificationsDroppedOnReload: () => 3,
    };
    const text = renderMetrics(runtimeMetrics(src, 1000));
    expect(text).toMatch(/^# TYPE netpulse_notifications_dropped_on_reload_total counter$/m);
    expect(text).toMatch(/^netpulse_notifications_dropped_on_reload_total 3$/m);
  });

  it('export the alerts held for their parents next to the alert lifecycle counters', () => {
    const parents: Record<string, string[]> = { access: ['core'] };
    const alerts = new AlertManager(undefined, { parentHold: { ms: 30_000, parentsOf: (d) => parents[d] ?? [] }, logger: { warn: () => {}, info: () => {} } });
    managers.push(alerts);
    expect(metricsText(alerts)).toMatch(/^netpulse_alerts_held_for_parents_total 0$/m);

    new DeviceStateAlerts(alerts).handle({ device: 'access', from: 'up', to: 'down', time: Date.now() });
    expect(alerts.stats.heldForParents).toBe(1);
    const text = metricsText(alerts);
    expect(text).toMatch(/^# TYPE netpulse_alerts_held_for_parents_total counter$/m);
    expect(text).toMatch(/^netpulse_alerts_held_for_parents_total 1$/m);
    expect(text.indexOf('netpulse_alerts_held_for_parents_total')).toBeGreaterThan(text.indexOf('netpulse_alerts_total'));
  });

  it('count an snmp-unreachable child behind a down parent like a down one: held, suppressed by the parent, released; auth-failed in none', () => {
    const parents: Record<string, string[]> = { 'access-1': ['core'], 'access-2': ['core'], 'access-3': ['core'] };
    const states: Record<string, DeviceState> = { core: 'up' };
    const alerts = new AlertManager(undefined, {
      parentHold: { ms: 30_000, parentsOf: (d) => parents[d] ?? [] }, logger: { warn: () => {}, info: () => {} },
      suppressor: suppressorFrom({ windows: () => [], tagsOf: () => undefined, parentsOf: (d) => parents[d] ?? [], stateOf: (d) => states[d] }),
    });
    managers.push(alerts);
    const change = deviceStateChanges(alerts, states);
    change('access-1', 'snmp-unreachable');
    change('access-2', 'down');
    change('access-3', 'auth-failed');
    change('core', 'down');
    let text = metricsText(alerts);
    expect(text).toMatch(/^netpulse_alerts_held_for_parents_total 2$/m);
    expect(text).toMatch(/^netpulse_alerts_total\{change="suppressed-parent"\} 2$/m);
    expect(text).toMatch(/^netpulse_alerts_total\{change="released"\} 0$/m);
    change('core', 'up');
    // the recovery grace: not released at once; access-2 comes back at its check, access-1 is still unreachable when the grace ends
    expect(metricsText(alerts)).toMatch(/^netpulse_alerts_total\{change="released"\} 0$/m);
    change('access-2', 'up');
    alerts.endHolds(Date.now() + 30_000);
    text = metricsText(alerts);
    expect(text).toMatch(/^netpulse_alerts_held_for_parents_total 2$/m);
    expect(text).toMatch(/^netpulse_alerts_total\{change="suppressed-parent"\} 2$/m);
    expect(text).toMatch(/^netpulse_alerts_total\{change="released"\} 1$/m);
    expect(text).toMatch(/^netpulse_alerts_total\{change="cleared-after-parent-recovery"\} 1$/m);
    expect(alerts.heldCount).toBe(0);
  });

  it('export the active alerts and the alerts turned away by a full table next to the lifecycle counters', () => {
    const alerts = new AlertManager(undefined, { maxActive: 2, logger: { warn: () => {}, info: () => {} } });
    managers.push(alerts);
    let text = metricsText(alerts);
    expect(text).toMatch(/^# TYPE netpulse_alerts_active gauge$/m);
    expect(text).toMatch(/^netpulse_alerts_active 0$/m);
    expect(text).toMatch(/^# TYPE netpulse_alerts_rejected_full_total counter$/m);
    expect(text).toMatch(/^netpulse_alerts_rejected_full_total 0$/m);
    expect(text).toMatch(/^netpulse_alerts_dropped_unsaved_total 0$/m);

    const states = new DeviceStateAlerts(alerts);
    for (const device of ['a', 'b', 'c', 'd']) states.handle({ device, from: 'up', to: 'down', time: Date.now() });
    expect(alerts.stats).toMatchObject({ active: 2, rejectedFull: 2 });
    text = metricsText(alerts);
    expect(text).toMatch(/^netpulse_alerts_active 2$/m);
    expect(text).toMatch(/^netpulse_alerts_rejected_full_total 2$/m);
    expect(text.indexOf('netpulse_alerts_active')).toBeGreaterThan(text.indexOf('netpulse_alerts_total'));
    expect(text.indexOf('netpulse_alerts_rejected_full_total')).toBeGreaterThan(text.indexOf('netpulse_alerts_total'));
  });
});

describe('trap metrics', () => {
  it('export retried informs, Reports sent and discoveries beside the received/accepted/rejected counts', () => {
    const traps = new RejectCounters();
    traps.received = 9;
    traps.duplicateInforms = 2;
    traps.reportsSent = 3;
    traps.discoveries = 1;
    const alerts = new AlertManager(undefined, { logger: { warn: () => {}, info: () => {} } });
    managers.push(alerts);
    const src: MetricsSources = {
      scheduler: () => scheduler, registry: new DeviceStatusRegistry(), storage: () => storage,
      alerts: () => alerts.stats, dictionaryNodes: () => 0, startedAt: 0, traps: () => traps,
    };
    const text = renderMetrics(runtimeMetrics(src, 1000));
    expect(text).toMatch(/^netpulse_traps_received_total 9$/m);
    expect(text).toMatch(/^netpulse_trap_informs_duplicate_total 2$/m);
    expect(text).toMatch(/^netpulse_trap_reports_sent_total 3$/m);
    expect(text).toMatch(/^netpulse_trap_discoveries_total 1$/m);
  });
});
