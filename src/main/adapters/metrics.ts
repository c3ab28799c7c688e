/** Prometheus metric families of the whole runtime (the API renders the text format). */
import type { AlertManagerStats } from '../../alerts/manager.ts';
import type { ChannelStats } from '../../alerts/notify/queue.ts';
import type { MetricFamily } from '../../api/services.ts';
import type { CronJobInfo, DeviceStatusRegistry, SchedulerMetrics } from '../../poller/index.ts';
import { storageMetricFamilies, type StateRetentionTotals, type StorageMetrics } from '../../storage/index.ts';
import type { RejectCounters } from '../../traps/counters.ts';

export interface MetricsSources {
  /** lookupBusy: polls that decided nothing because the device's name waited too long for a lookup slot; parked: 0 when absent */
  scheduler: () => Omit<SchedulerMetrics, 'parked'> & { parked?: number; lookupBusy?: number };
  registry: DeviceStatusRegistry;
  storage: () => StorageMetrics;
  traps?: () => RejectCounters | undefined;
  alerts: () => AlertManagerStats;
  notifications?: () => Record<string, ChannelStats>;
  /** notifications dropped because a config reload removed or changed their channel */
  notificationsDroppedOnReload?: () => number;
  dictionaryNodes: () => number;
  /** undefined: no cron registry (the families are left out) */
  cron?: () => CronJobInfo[];
  /** rows the state-retention job deleted since start-up; undefined: the family is left out */
  statePruned?: () => StateRetentionTotals;
  startedAt: number;
}

const one = (name: string, type: MetricFamily['type'], help: string, value: number, labels?: Record<string, string>): MetricFamily =>
  ({ name, type, help, samples: [{ labels, value }] });

/** per cron job: runs, failed runs, start of the last run */
export function cronMetricFamilies(jobs: readonly CronJobInfo[]): MetricFamily[] {
  const per = (f: (j: CronJobInfo) => number | undefined) =>
    jobs.flatMap((j) => { const value = f(j); return value === undefined ? [] : [{ labels: { job: j.name }, value }]; });
  return [
    { name: 'netpulse_cron_job_runs_total', type: 'counter', help: 'runs of each cron job, failed ones included', samples: per((j) => j.runs) },
    { name: 'netpulse_cron_job_failures_total', type: 'counter', help: 'runs of each cron job that failed', samples: per((j) => j.failures) },
    {
      name: 'netpulse_cron_job_last_run_timestamp_seconds', type: 'gauge', help: 'start of the last run of each cron job (jobs that never ran are left out)',
      samples: per((j) => (j.lastRunAt === undefined ? undefined : j.lastRunAt / 1000)),
    },
  ];
}

export function runtimeMetrics(src: MetricsSources, now = Date.now()): MetricFamily[] {
  const m = src.scheduler();
  const devices = src.registry.list();
  const byState = src.registry.counts().byState;
  const out: MetricFamily[] = [
    {
      name: 'netpulse_poll_duration_seconds', type: 'gauge', help: 'duration of the last finished poll of each device',
      samples: devices.filter((d) => d.lastPollDurationMs !== undefined).map((d) => ({ labels: { device: d.device }, value: d.lastPollDurationMs! / 1000 })),
    },
    {
      name: 'netpulse_poll_duration_quantile_seconds', type: 'summary', help: 'poll durations of the last 4096 polls',
      samples: [
        ...(['0.5', '0.95', '0.99'] as const).map((q) => ({ labels: { quantile: q }, value: m.pollDurationMs[q === '0.5' ? 'p50' : q === '0.95' ? 'p95' : 'p99'] / 1000 })),
        { labels: { quantile: '1' }, value: m.pollDurationMs.max / 1000 },
      ],
    },
    one('netpulse_polls_missed_total', 'counter', 'polls skipped because the previous one of the job still ran or was queued', m.missedPolls),
    one('netpulse_polls_lookup_busy_total', 'counter', 'polls that decided nothing (state kept) because the device name waited too long for a lookup slot', m.lookupBusy ?? 0),
    one('netpulse_poll_queue_depth', 'gauge', 'polls due and not started: waiting for a slot, or parked (netpulse_polls_parked)', m.queueDepth),
    one('netpulse_polls_parked', 'gauge', 'polls due that wait, holding no slot, for the run their job had before a config reload changed the device (in queue_depth too)', m.parked ?? 0),
    one('netpulse_polls_in_flight', 'gauge', 'polls running now', m.inFlight),
    {
      name: 'netpulse_polls_total', type: 'counter', help: 'polls by outcome',
      samples: [{ labels: { result: 'started' }, value: m.pollsStarted }, { labels: { result: 'done' }, value: m.pollsDone }, { labels: { result: 'failed' }, value: m.pollsFailed }],
    },
    one('netpulse_poll_slots_abandoned_total', 'counter', 'polls whose slot was given back at their deadline', m.abandonedSlots),
    one('netpulse_poll_jobs', 'gauge', 'scheduled poll jobs (device x interval group)', m.jobs),
    {
      name: 'netpulse_devices', type: 'gauge', help: 'devices by state',
      samples: ['up', 'down', 'snmp-unreachable', 'auth-failed', 'unknown'].map((s) => ({ labels: { state: s }, value: byState[s] ?? 0 })),
    },
    {
      name: 'netpulse_event_loop_delay_seconds', type: 'summary', help: 'event-loop delay',
      samples: [
        { labels: { quantile: '0.5' }, value: m.eventLoopDelayMs.p50 / 1000 },
        { labels: { quantile: '0.99' }, value: m.eventLoopDelayMs.p99 / 1000 },
        { labels: { quantile: '1' }, value: m.eventLoopDelayMs.max / 1000 },
      ],
    },
    ...storageMetricFamilies(src.storage()),
  ];
  const t = src.traps?.();
  out.push(
    one('netpulse_traps_received_total', 'counter', 'datagrams received on the trap sockets', t?.received ?? 0),
    one('netpulse_traps_accepted_total', 'counter', 'traps and informs authenticated and recorded', t?.accepted ?? 0),
    {
      name: 'netpulse_traps_rejected_total', type: 'counter', help: 'datagrams rejected, by reason',
      samples: Object.entries(t?.byReason ?? {}).map(([reason, value]) => ({ labels: { reason }, value })),
    },
    one('netpulse_trap_informs_acked_total', 'counter', 'informs acknowledged', t?.informsAcked ?? 0),
    one('netpulse_trap_informs_duplicate_total', 'counter', 'retried informs acknowledged again but not recorded twice', t?.duplicateInforms ?? 0),
    one('netpulse_trap_reports_sent_total', 'counter', 'SNMPv3 Report PDUs sent (discovery, unknown user, wrong digest, time window)', t?.reportsSent ?? 0),
    one('netpulse_trap_discoveries_total', 'counter', 'SNMPv3 engine discovery requests answered', t?.discoveries ?? 0),
  );
  const a = src.alerts();
  out.push({
    name: 'netpulse_alerts_total', type: 'counter', help: 'alert lifecycle changes',
    samples: [
      { labels: { change: 'opened' }, value: a.opened }, { labels: { change: 'repeated' }, value: a.repeated }, { labels: { change: 'cleared' }, value: a.cleared },
      { labels: { change: 'suppressed-flapping' }, value: a.suppressedFlapping }, { labels: { change: 'suppressed-rate-limit' }, value: a.suppressedRateLimit },
      { labels: { change: 'suppressed-maintenance' }, value: a.suppressedMaintenance }, { labels: { change: 'suppressed-parent' }, value: a.suppressedParent },
      { labels: { change: 'released' }, value: a.released },
      { labels: { change: 'cleared-after-parent-recovery' }, value: a.clearedAfterParentRecovery },
    ],
  }, one('netpulse_alerts_held_for_parents_total', 'counter',
    'device-state alerts whose notification waited alerts.parentHold for their parents (those suppressed then count in suppressed-parent too)', a.heldForParents),
  one('netpulse_alerts_active', 'gauge', 'active (open or acknowledged) alerts, the alert-table-full alert not included', a.active),
  one('netpulse_alerts_rejected_full_total', 'counter', 'new alerts not opened because alerts.maxActive alerts were active', a.rejectedFull),
  one('netpulse_alerts_dropped_unsaved_total', 'counter', 'alert changes the store could not save, dropped because alerts.maxActive already waited to be saved again', a.droppedUnsaved));
  const n = src.notifications?.();
  if (n && Object.keys(n).length) {
    const per = (f: (s: ChannelStats) => number) => Object.entries(n).map(([channel, s]) => ({ labels: { channel }, value: f(s) }));
    out.push(
      { name: 'netpulse_notifications_sent_total', type: 'counter', help: 'notifications delivered per channel', samples: per((s) => s.sent) },
      { name: 'netpulse_notifications_failed_total', type: 'counter', help: 'notifications given up per channel', samples: per((s) => s.failed) },
      { name: 'netpulse_notifications_dropped_total', type: 'counter', help: 'notifications dropped (queue full) per channel', samples: per((s) => s.dropped) },
      { name: 'netpulse_notifications_throttled_total', type: 'counter', help: 'alert changes held back by the per-minute limit and sent in a digest, per channel', samples: per((s) => s.throttled) },
      { name: 'netpulse_notifications_digests_total', type: 'counter', help: 'digest messages queued per channel', samples: per((s) => s.digests) },
      { name: 'netpulse_notifications_digests_failed_total', type: 'counter', help: 'digests given up after all retries per channel (also in failed_total); their counts go into the next digest', samples: per((s) => s.digestsFailed) },
      { name: 'netpulse_notifications_bypassed_total', type: 'counter', help: 'alert changes sent over the limit because of bypassSeverity, per channel', samples: per((s) => s.bypassed) },
    );
  }
  const reloadDropped = src.notificationsDroppedOnReload?.();
  if (reloadDropped !== undefined) {
    out.push(one('netpulse_notifications_dropped_on_reload_total', 'counter', 'notifications a removed or changed channel still held when a config reload retired it, dropped after its drain time', reloadDropped));
  }
  const jobs = src.cron?.();
  if (jobs) out.push(...cronMetricFamilies(jobs));
  const pruned = src.statePruned?.();
  if (pruned) {
    out.push({
      name: 'netpulse_state_rows_pruned_total', type: 'counter', help: 'rows of state.db the retention job deleted (alerts.keepCleared, traps.logRetention/logMaxRows)',
      samples: [{ labels: { table: 'alerts' }, value: pruned.alerts }, { labels: { table: 'traps' }, value: pruned.traps }],
    });
  }
  out.push(
    one('netpulse_oid_dictionary_nodes', 'gauge', 'nodes in the OID dictionary', src.dictionaryNodes()),
    one('netpulse_uptime_seconds', 'gauge', 'seconds since netpulse started', Math.round((now - src.startedAt) / 1000)),
  );
  return out;
}
