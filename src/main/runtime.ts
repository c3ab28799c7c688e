/**
 * The netpulse runtime: every subsystem created from the validated config and wired together
 * (storage, OID dictionary, alerts + notifications, poller, trap receiver, topology, API).
 * `netpulse start` and `netpulse demo` call startNetpulse(); see README.md for the wiring.
 */
import { AlertManager } from '../alerts/manager.ts';
import { DeviceStateAlerts } from '../alerts/device-state.ts';
import { CLOSE_DRAIN_MS, Notifier } from '../alerts/notify/notifier.ts';
import type { AlertChange } from '../alerts/types.ts';
import type { ApiServices } from '../api/services.ts';
import { startApiServer, type ApiServer } from '../api/server.ts';
import type { ApiOptions } from '../api/options.ts';
import type { NetpulseConfig } from '../config/types.ts';
import { errorMessage } from '../errors/index.ts';
import { createIcmpChecker } from '../icmp/engine.ts';
import type { IcmpChecker } from '../icmp/types.ts';
import type { Dictionary } from '../mib/index.ts';
import { isPathUnreachable } from '../model/device.ts';
import type { SampleSink } from '../model/sample.ts';
import { BUILTIN_PROFILE_DEFINITIONS, CronRegistry, type Poller } from '../poller/index.ts';
import { createPollerRuntime, type PollerRuntime } from '../poller/runtime.ts';
import { createStorage, StateRetention, STATE_RETENTION_JOB, type Storage, type StorageLogger } from '../storage/index.ts';
import { TRAP_LOG_DEFAULTS } from '../config/sections/traps.ts';
import { stateTopologyStore, topologyServiceFromConfig, type TopologyService, type LinkEvent } from '../topology/index.ts';
import { hostPort, receiverConfigFrom } from '../traps/config.ts';
import type { Translator } from '../traps/event.ts';
import { TrapProcessor } from '../traps/processor.ts';
import { TrapReceiver } from '../traps/receiver.ts';
import { alertStoreFrom, BatchedTrapLog, engineIdStoreFrom } from '../traps/state-adapters.ts';
import { dictionaryTranslator } from '../traps/translator.ts';
import type { TrapRecord as LiveTrap } from '../traps/trap-log.ts';
import { alertsPort } from './adapters/alerts.ts';
import { scheduleAvailabilityWarming, warmupSettings, type AvailabilityWarming } from './availability-warmup.ts';
import { credentialsPort, devicesPort } from './adapters/devices.ts';
import { cronPort } from './adapters/cron.ts';
import { EventBus } from './adapters/events.ts';
import { healthPort } from './adapters/health.ts';
import { runtimeMetrics } from './adapters/metrics.ts';
import { oidsPort } from './adapters/oids.ts';
import { rulesPort } from './adapters/rules.ts';
import { topologyPort } from './adapters/topology.ts';
import { linkAlert } from './link-alerts.ts';
import { trapsPort } from './adapters/traps.ts';
import { reloadConfig, type ReloadResult, type ReloadTargets } from './config-reload.ts';
import { openDictionary, type DictionaryHolder } from './dictionary.ts';
import { Inventory } from './inventory.ts';
import { MaintenanceWindows, maintenancePort } from './maintenance.ts';
import { checkParentChain } from './parent-checks.ts';
import { suppressorFrom } from '../alerts/suppression.ts';
import { RulesEngine } from './rules.ts';
import { StatusTracker } from './status-tracker.ts';
import { teeSink } from './tee-sink.ts';

export interface StartOptions {
  /** one line per event; lines carry their own `scope: ` and, for problems, `warning:`/`error:` */
  log: (line: string) => void;
  /** start the HTTP API + UI on config.api.listen (default false: services are built, not served) */
  listenApi?: boolean;
  /** the Fastify logger option for the API (default off) */
  apiLogger?: ApiOptions['logger'];
  /** compile MIBs on this thread when there is no fresh cache (default false: in a worker, start-up does not wait) */
  compileMibsSync?: boolean;
  /** overrides storage.sqlite.availabilityWarmup's days/delay for start-up's warm-up of the availability day cache (availability-warmup.ts); false: none (the nightly job stays) */
  availabilityWarmup?: false | { delayMs?: number; days?: number };
  now?: () => number;
}

export interface NetpulseRuntime {
  /** the config as started; reload() applies the live parts of the file's current content, not here */
  config: NetpulseConfig;
  storage: Storage;
  dictionary: DictionaryHolder;
  inventory: Inventory;
  poller: Poller;
  alerts: AlertManager;
  topology: TopologyService;
  /** cron-style jobs: `topology-discovery` (topology.schedule), `availability-days` on the embedded store, `state-retention` */
  cron: CronRegistry;
  /** undefined when config.traps is absent; `addresses` empty when binding failed */
  traps?: { receiver: TrapReceiver; processor: TrapProcessor; addresses: { address: string; port: number }[]; error?: string };
  /** the ports the API is built on (usable without listening, e.g. app.inject) */
  services: ApiServices;
  /** set when listenApi */
  api?: ApiServer;
  /**
   * Re-reads config.file (config-reload.ts): an invalid file changes nothing; a valid one swaps
   * devices, credential profiles, config trap rules, maintenance windows, poll profiles and
   * notification channels and routes, and logs each
   * restart-only setting changed. A call during a reload queues one more (calls meanwhile share it).
   */
  reload(): Promise<ReloadResult>;
  /** API, traps, cron jobs, topology, scheduler, rules timers, alerts then notifications (1 s drain), MIB worker, storage flush, in that order; resolves within a few seconds */
  stop(graceMs?: number): Promise<void>;
}

/** how often suppressed alerts are re-checked, so one whose window ended is notified within this */
const SUPPRESSION_CHECK_MS = 10_000;

function storageLogger(log: (line: string) => void): StorageLogger {
  return { info: (m) => log(m), warn: (m) => log(`warning: ${m}`), error: (m) => log(`error: ${m}`) };
}

/** A Translator that always asks the dictionary of the moment (a background compile swaps it in). */
function liveTranslator(holder: DictionaryHolder): Translator {
  let dict: Dictionary | undefined;
  let t: Translator | undefined;
  const get = () => {
    const d = holder.current();
    if (d !== dict) [dict, t] = [d, dictionaryTranslator(d)];
    return t!;
  };
  return { translate: (oid) => get().translate(oid), formatValue: (...a) => get().formatValue?.(...a) };
}

/** user poll profiles naming OIDs (MODULE::name) need the dictionary before the poller is built */
function profilesNeedNames(config: NetpulseConfig): boolean {
  const numeric = /^\.?\d+(\.\d+)*$/;
  return Object.values(config.profiles).some((p) =>
    [...(p.scalars ?? []), ...(p.tables ?? []).flatMap((t) => t.columns)].some((x) => !numeric.test(x.oid)));
}

function liveTrap(r: LiveTrap, seq: number) {
  const src = hostPort(r.source.address, r.source.port);
  return {
    id: `live-${r.receivedAt}-${seq}`, time: r.receivedAt, source: src, device: r.device, version: r.version, trapOid: r.trapOid,
    trapName: r.trapName, severity: r.severity,
    varbinds: r.varbinds.map((v) => ({ oid: v.oid, name: v.name, type: v.type, value: v.display ?? (v.value === null ? '' : String(v.value)) })),
  };
}

/** `http://user:pass@host:8086` → `http://host:8086`: a password in the URL must not reach the log */
export function withoutUserinfo(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.href.replace(/\/$/, url.endsWith('/') ? '/' : '');
  } catch {
    return '(invalid URL)';
  }
}

export async function startNetpulse(config: NetpulseConfig, opts: StartOptions): Promise<NetpulseRuntime> {
  const log = opts.log;
  const now = opts.now ?? Date.now;
  const startedAt = now();
  const cleanup: CleanupStep[] = [];
  const bus = new EventBus();

  // 1. storage: the state database must open (fatal otherwise); InfluxDB being down is not fatal (spool)
  const storage = createStorage(config, { logger: storageLogger(log) });
  cleanup.push({ name: 'storage', run: () => storage.close(), whole: true });
  log(`storage: ${config.storage.influx ? `InfluxDB ${withoutUserinfo(config.storage.influx.url)} database ${config.storage.influx.database} (spool while unreachable)` : 'embedded SQLite store'} in ${config.dataDir}`);

  try {
    // 2. OID dictionary: from the cache at once, or compiled in the background
    const dictionary = openDictionary({ dataDir: config.dataDir, mibDirs: config.mibDirs, warmup: config.mibWarmup, log, sync: opts.compileMibsSync, uploadParser: config.mibUpload });
    cleanup.push({ name: 'OID dictionary', run: () => dictionary.close() });

    // 3. alerts and notifications
    const alerts = new AlertManager(alertStoreFrom(storage.state), {
      maxActive: config.alerts.maxActive,
      logger: { warn: (m: string) => log(`alerts: ${m}`), info: (m: string) => log(`alerts: ${m}`) },
      // a child's down / snmp-unreachable alert waits for its parents' state (same-round failures, src/alerts/README.md);
      // when a parent comes back, its still-unreachable children are checked now and released only if still so (recovery grace)
      parentHold: {
        ms: config.alerts.parentHoldMs, parentsOf: (d) => inventory.parentsOf(d),
        stateOf: (d) => poller.registry.get(d)?.state, recheck: (d) => void poller.expedite(d),
      },
      now,
    });
    const notifier = new Notifier(config.notifications, { onError: (m) => log(`notifications: error: ${m}`), onWarn: (m) => log(`notifications: ${m}`) });
    // one step, alerts first: a change close() saves at last is still notified, then the channels get a moment to send
    cleanup.push({ name: 'alerts and notifications', run: () => closeAlertsThenNotifier(alerts, notifier, log) });
    notifier.attach(alerts);
    alerts.onChange((c: AlertChange) => bus.publish({ type: 'alert', change: c.kind, alert: c.alert }));
    const deviceAlerts = new DeviceStateAlerts(alerts);

    // 4. inventory (config + API devices) and rules
    // replaced by a reload that changes the user profiles: API device writes are checked against it
    let profileNames = pollProfileNames(config.profiles);
    const inventory = new Inventory(config, storage.state, () => profileNames, log);
    // alerts of devices removed while netpulse was stopped: cleared as `device removed`; the inventory then tells sweeps retried later which devices came back
    alerts.clearAlertsOfDevicesGone((d) => inventory.device(d) !== undefined, now());
    const rules = new RulesEngine({
      state: storage.state, alerts, configTrapRules: config.traps?.rules ?? [], defaultRules: config.traps?.defaultRules ?? true,
      pollIntervalMs: config.defaults.intervalMs, tagsOf: (d) => inventory.tags(d), log,
    });
    cleanup.push({ name: 'trap rules', run: () => rules.stop() });

    // 5. poller: samples → storage + threshold rules + status tracker
    if (profilesNeedNames(config) && dictionary.state() === 'compiling') {
      log('poller: user profiles name OIDs: waiting for the MIB compile before polling');
      await dictionary.ready();
    }
    const tracker = new StatusTracker();
    // each primary poll's device_status (written after its state change was handled) ends the recovery grace of its device
    const recoveryChecks: SampleSink = {
      write(samples) {
        if (alerts.recoveringCount === 0 && alerts.deferredCount === 0) return;
        for (const s of samples) if (s.measurement === 'device_status' && s.tags.device) alerts.devicePolled(s.tags.device, s.time);
      },
    };
    const sink = teeSink([storage.sink, rules.thresholds, tracker, recoveryChecks], (err) => log(`poller: sink: error: ${errorMessage(err)}`));
    const initialDevices = inventory.resolved();
    const pollerRuntime: PollerRuntime = await createPollerRuntime({ ...config, devices: initialDevices }, sink, {
      log, resolveOid: (name) => dictionary.current().resolve(name),
    });
    cleanup.push({ name: 'poller', run: () => pollerRuntime.close(3000) });
    for (const p of pollerRuntime.profileProblems) log(`poller: warning: ${p}`);
    const { poller } = pollerRuntime;
    // alert suppression: maintenance windows (config + API) and parent dependencies (`parents:` of config and API devices)
    const maintenance = new MaintenanceWindows(config.maintenance, storage.state, now, log);
    alerts.setSuppressor(suppressorFrom({
      windows: () => maintenance.windows(), tagsOf: (d) => inventory.tags(d),
      parentsOf: (d) => inventory.parentsOf(d), stateOf: (d) => poller.registry.get(d)?.state,
    }));
    maintenance.onChange(() => alerts.reevaluateSuppressed(now()));
    const suppressionTimer = setInterval(() => {
      // an error thrown in a timer would end the process: a failing store is logged, the next run tries again
      try {
        alerts.reevaluateSuppressed(now());
        maintenance.prune();
      } catch (err) {
        log(`alerts: error: re-checking suppressed alerts and maintenance windows: ${errorMessage(err)}`);
      }
    }, SUPPRESSION_CHECK_MS);
    suppressionTimer.unref();
    cleanup.push({ name: 'suppression timer', run: () => clearInterval(suppressionTimer) });
    if (config.maintenance.length) log(`alerts: ${config.maintenance.length} maintenance windows from the config file`);
    // a child going down or snmp-unreachable (isPathUnreachable): check its parents now (those
    // not known down; probe + ICMP), and up the chain past snmp-unreachable ones (checkParentChain),
    // so its held alert's hold ends knowing them; not a device whose last poll started after the
    // child's failing poll did (`at` is the poll's start): that answer is as fresh
    const pollParents = (device: string, childPollStart: number) => {
      const gap = Math.max(0, now() - childPollStart);
      checkParentChain(device, {
        parentsOf: (d) => inventory.parentsOf(d), stateOf: (d) => poller.registry.get(d)?.state, expedite: (d) => poller.expedite(d, gap),
      });
    };
    poller.registry.on('change', (c) => {
      if (config.alerts.parentHoldMs > 0 && isPathUnreachable(c.to)) pollParents(c.device, c.at);
      const change = { device: c.device, from: c.from, to: c.to, error: c.error, time: c.at };
      deviceAlerts.handle(change);
      rules.deviceRules.handle(change);
      // a parent back up: its children still unreachable get a check now (recheck) and are released if still so;
      // only the alerts this device's state decides (its own, its children's, …): a storm costs per change, not per held alert
      alerts.reevaluateSuppressed(c.at, c.device);
      bus.publish({ type: 'device-state', device: c.device, from: c.from, to: c.to, time: c.at, error: c.error });
      if (!(c.from === 'unknown' && c.to === 'up')) log(`device ${c.device} (${c.address}, SNMP v${c.version}): ${c.from} -> ${c.to}${c.error ? `: ${c.error}` : ''}`);
    });
    poller.setDevices(initialDevices);
    inventory.onChange((change) => {
      if (!change.devices.length) return;
      poller.setDevices(inventory.resolved());
      // devices that left the inventory (reload, API delete): no raise of theirs still to come, their alerts cleared, their status forgotten
      const removed = change.devices.filter((d) => inventory.device(d) === undefined);
      for (const d of removed) {
        rules.deviceRules.forgetDevice(d);
        rules.thresholds.forgetDevice(d);
        tracker.forget(d);
      }
      alerts.clearAlertsOfDevices(removed, now());
    });
    let schedulerRunning = true;
    poller.start();
    cleanup.push({ name: 'scheduler', run: () => void (schedulerRunning = false) });
    log(`poller: ${initialDevices.length} devices scheduled`);

    // 6. topology: persisted in the state store, link changes → alerts
    let sweepIcmp: IcmpChecker | undefined;
    if (config.topology?.subnets?.length && config.topology.sweep.icmp) sweepIcmp = await createIcmpChecker();
    const topology = topologyServiceFromConfig(config, {
      client: pollerRuntime.snmp, devices: () => inventory.resolved(), store: stateTopologyStore(storage.state), icmp: sweepIcmp, schedule: false,
    });
    cleanup.push({ name: 'topology', run: async () => { topology.stop(); await sweepIcmp?.close?.(); } });
    topology.on('link', (e: LinkEvent) => linkAlert(alerts, e, (d) => inventory.device(d) !== undefined));

    // 6b. cron jobs: the topology schedule; the embedded store's availability day cache, nightly and, in the background, at start-up
    const cron = new CronRegistry(log);
    cleanup.push({ name: 'cron jobs', run: () => cron.stop() });
    if (config.topology?.schedule) {
      cron.add('topology-discovery', config.topology.schedule, () => topology.runScheduled());
      log(`topology: discovery scheduled "${config.topology.schedule}"`);
    }
    if (storage.warmAvailabilityDays) {
      const stopWarming = new AbortController();
      cleanup.push({ name: 'availability warm-up', run: () => stopWarming.abort() });
      const warming: AvailabilityWarming = {
        warm: storage.warmAvailabilityDays, devices: () => inventory.devices().map(({ device }) => device), now, log,
      };
      scheduleAvailabilityWarming(cron, warming, warmupSettings(config.storage.sqlite?.availabilityWarmup, opts.availabilityWarmup), stopWarming.signal);
    }
    // state.db's history (cleared alerts, the trap log, learned v3 engines): nightly and, in batches in the background, now
    const stopRetention = new AbortController();
    cleanup.push({ name: 'retention', run: () => stopRetention.abort() });
    const retention = new StateRetention(storage.state, {
      alertsKeepClearedMs: config.alerts.keepClearedMs,
      trapsKeepMs: config.traps?.logRetention ?? TRAP_LOG_DEFAULTS.retention, trapsMaxRows: config.traps?.logMaxRows ?? TRAP_LOG_DEFAULTS.maxRows,
      engineIdsKeepMs: config.traps?.engineIdRetention ?? TRAP_LOG_DEFAULTS.engineIdRetention,
    }, { now, log, signal: stopRetention.signal });
    cron.add(STATE_RETENTION_JOB.name, STATE_RETENTION_JOB.expression, () => retention.run(), { timezone: STATE_RETENTION_JOB.timezone });
    cron.start(STATE_RETENTION_JOB.name);

    // 7. traps: events → trap log + snmp_trap samples + rules → alerts → notifications
    let traps: NetpulseRuntime['traps'];
    if (config.traps) {
      const trapLog = new BatchedTrapLog(storage.state);
      cleanup.push({ name: 'trap log', run: () => trapLog.flush() });
      const processor = new TrapProcessor({ rules: rules.trapRules, alerts, sink: storage.sink, log: trapLog, deviceTags: (d) => inventory.tags(d) });
      let seq = 0;
      processor.onTrap((r) => bus.publish({ type: 'trap', trap: liveTrap(r, ++seq) }));
      const receiver = new TrapReceiver({
        config: receiverConfigFrom(config.traps),
        record: processor.record,
        resolveDevice: (addr) => inventory.deviceAt(addr),
        translator: liveTranslator(dictionary),
        engineStore: engineIdStoreFrom(storage.state),
        onError: (m) => log(`traps: error: ${m}`),
      });
      traps = { receiver, processor, addresses: [] };
      try {
        traps.addresses = await receiver.start();
        log(`traps: listening on udp ${traps.addresses.map((a) => hostPort(a.address, a.port)).join(', ')}`);
      } catch (err) {
        traps.error = errorMessage(err).replace(/^traps: /, '');
        log(`traps: error: ${traps.error}; no traps will be received, the rest runs`);
      }
      cleanup.push({ name: 'trap receiver', run: () => receiver.stop() });
    }

    // 8. the API's ports
    const stateOf = (d: string) => poller.registry.get(d)?.state;
    const services: ApiServices = {
      devices: devicesPort(inventory, poller.registry, tracker),
      credentials: credentialsPort(inventory),
      series: storage.query,
      availability: storage.query,
      oids: oidsPort(dictionary),
      topology: topologyPort(topology, stateOf),
      traps: trapsPort(storage.state),
      alerts: alertsPort(alerts, storage.state),
      rules: rulesPort(rules, storage.state),
      maintenance: maintenancePort(maintenance, () => inventory.devices().map(({ device }) => ({ name: device.name, tags: device.tags })), now),
      metrics: async () => runtimeMetrics({
        scheduler: () => poller.metrics(), registry: poller.registry, storage: () => storage.metrics(),
        traps: () => traps?.receiver.counters, alerts: () => alerts.stats, notifications: () => notifier.stats(), notificationsDroppedOnReload: () => notifier.droppedOnReload,
        dictionaryNodes: () => dictionary.current().size, cron: () => cron.list(), statePruned: () => retention.totals, startedAt,
      }, now()),
      health: healthPort({
        storage: () => storage.metrics(), scheduler: () => ({ running: schedulerRunning, jobs: poller.metrics().jobs }),
        traps: traps && (() => ({ bound: traps!.addresses.map((a) => `${a.address}:${a.port}`), error: traps!.error })),
        dictionary: () => ({ state: dictionary.state(), nodes: dictionary.current().size }), configFile: config.file,
        cron: () => cron.list(),
      }),
      cron: cronPort(cron),
      events: bus,
    };

    // 9. the HTTP API + UI
    let api: ApiServer | undefined;
    if (opts.listenApi) {
      api = await startApiServer(services, { ...config.api, logger: opts.apiLogger ?? false });
      cleanup.push({ name: 'API', run: () => api!.close() });
      log(`api: listening on ${api.url}${config.api.tokens.length ? '' : ' (no tokens configured: only public routes answer)'}`);
    }

    let stopping: Promise<void> | undefined;
    const reloadTargets: ReloadTargets = {
      inventory, rules, maintenance,
      setProfiles: (profiles) => {
        const change = pollerRuntime.setProfiles(profiles);
        profileNames = pollProfileNames(profiles);
        return change;
      },
      setNotifications: (n) => notifier.reconfigure(n),
    };
    let reloading: Promise<ReloadResult> | undefined;
    let queued: Promise<ReloadResult> | undefined;
    const reloadNow = (): Promise<ReloadResult> =>
      // the sweeps of removed devices (more than a few: a listing) and of rules list the active alerts once between them
      (reloading = Promise.resolve().then(() => alerts.shareListing(() => reloadConfig(config, reloadTargets, log))).finally(() => (reloading = undefined)));
    const reload = (): Promise<ReloadResult> => {
      if (queued) return queued;
      if (!reloading) return reloadNow();
      return (queued = reloading.then(() => {
        queued = undefined;
        return reloadNow();
      }));
    };
    return {
      config, storage, dictionary, inventory, poller, alerts, topology, cron, traps, services, api, reload,
      stop: (graceMs = 3000) => (stopping ??= runCleanup(cleanup, log, graceMs)),
    };
  } catch (err) {
    await runCleanup(cleanup, log, 1000);
    throw err;
  }
}


/** the poll profile names a device may use: the built-in ones and the config's */
function pollProfileNames(profiles: NetpulseConfig['profiles']): string[] {
  return [...new Set([...Object.keys(BUILTIN_PROFILE_DEFINITIONS), ...Object.keys(profiles)])];
}

/**
 * Shutdown of alerts and notifications: the alert manager closes first (the changes it saves at
 * last reach the notifier), then the channels get CLOSE_DRAIN_MS to send what they hold; what is
 * dropped then is logged.
 */
async function closeAlertsThenNotifier(alerts: AlertManager, notifier: Notifier, log: (line: string) => void, drainMs = CLOSE_DRAIN_MS): Promise<void> {
  try {
    await alerts.close();
  } finally {
    const dropped = await notifier.drain(drainMs);
    if (dropped.queued + dropped.held > 0) {
      log(`notifications: stopping: ${dropped.queued} notifications not sent within ${drainMs} ms and ${dropped.held} changes held for a digest are dropped`);
    }
  }
}

interface CleanupStep {
  name: string;
  run: () => Promise<void> | void;
  /** never cut short: the stores write out what they accepted (`netpulse start` bounds the whole stop) */
  whole?: boolean;
}

/**
 * runs the cleanup steps newest first (the reverse of start-up), none stopping the others; each
 * but a `whole` one gets graceMs + 2 s, and one still running then is logged and left behind
 */
async function runCleanup(steps: CleanupStep[], log: (line: string) => void, graceMs: number): Promise<void> {
  const boundMs = graceMs + 2000;
  for (const step of steps.splice(0).reverse()) {
    let t: NodeJS.Timeout | undefined;
    try {
      const done = Promise.resolve().then(step.run).then(() => true);
      const ended = step.whole ? await done : await Promise.race([done, new Promise<false>((r) => { t = setTimeout(() => r(false), boundMs).unref(); })]);
      if (!ended) log(`netpulse: while stopping: ${step.name} still stopping after ${boundMs / 1000} s; going on without it`);
    } catch (err) {
      log(`netpulse: while stopping: ${step.name}: ${errorMessage(err)}`);
    } finally {
      clearTimeout(t);
    }
  }
}
