/**
 * The ports the API needs from the rest of netpulse. The app (`buildApp`) depends on this
 * interface only; `main` wires adapters from the real modules (poller, storage, mib,
 * traps, alerts, topology), tests use an in-memory fake (test/api/fake-services.ts).
 *
 * Conventions:
 * - a lookup that finds nothing returns `undefined` (→ 404);
 * - a write that cannot be done throws NetpulseError with `kind` 'not-found' (→ 404),
 *   'conflict' (→ 409) or 'invalid' (→ 422, the message names the field), anything else → 500;
 * - times are ms since the epoch; secrets (communities, v3 keys) never leave a port's
 *   read methods: credential reads return `CredentialSummary`.
 */
import type { Alert, AlertState, Severity } from '../alerts/types.ts';
import type { MaintenanceWindowSpec } from '../alerts/maintenance-schema.ts';
import type { MaintenanceWindow } from '../alerts/maintenance.ts';
import type { ApiTopologyGraph, ApiTopologyPort } from '../topology/api-view.ts';
import type { SeriesQueryApi } from '../storage/types.ts';
import type { AuthProtocol, Device, DeviceState, PrivProtocol, SecurityLevel, SnmpVersion, Credential } from '../model/index.ts';

// ---------- devices (config/StateStore + poller's device status registry) ----------

/** An interface filter as a client sends it (the config's `interfaces:`): ifType as IANAifType names or numbers, lists left out are empty. */
export interface InterfaceMatchInput {
  ifType?: (number | string)[];
  ifName?: string[];
  ifDescr?: string[];
  ifAlias?: string[];
}
export interface InterfaceFilterInput {
  include?: InterfaceMatchInput;
  exclude?: InterfaceMatchInput & { adminDown?: boolean };
}

/**
 * What a client sends to create or replace a device: the config's device, credentials by
 * profile name. `parents` must name other existing devices without forming a cycle and
 * `interfaces` is checked like the config's (ifType names, glob or safe-regex patterns): the
 * port throws 'invalid' naming the field.
 */
export type DeviceInput = Omit<Device, 'interfaces'> & { interfaces?: InterfaceFilterInput };

/** The non-secret side of a credential profile. */
export interface CredentialSummary {
  name: string;
  version: SnmpVersion;
  /** v3 only */
  user?: string;
  level?: SecurityLevel;
  authProtocol?: AuthProtocol;
  privProtocol?: PrivProtocol;
  context?: string;
}

/** The poller's view of one device (its status registry). */
export interface DeviceStatus {
  state: DeviceState;
  /** when the state last changed */
  since?: number;
  /** the poller's registry says `undefined` before the first poll */
  lastPollAt?: number;
  lastSuccessAt?: number;
  lastPollDurationMs?: number;
  missedPolls: number;
  pollsDone?: number;
  consecutiveFailures?: number;
  /** the last poll error, a NetpulseError message (never a secret) */
  lastError?: string;
  /** recent errors, newest first */
  recentErrors?: { time: number; message: string }[];
  /** interfaces the device's interface filter left out at the last interfaces poll; absent without a filter */
  interfacesFiltered?: number;
}

export interface DeviceView extends Device {
  /** where it is defined: the config file (read-only through the API) or the API */
  origin: 'config' | 'api';
  /** a config device only: it hides an API-created device of its name, which is not listed nor polled */
  shadows?: 'api';
  /** the credential profile's non-secret side; undefined if the profile is missing */
  snmp?: CredentialSummary;
  status: DeviceStatus;
}

export interface DevicesPort {
  /**
   * A snapshot: the same array (same view objects) while no device, credential profile or
   * status changed, a new one after any change. Read-only: the API derives its list body and
   * version counts once per snapshot.
   */
  list(): Promise<readonly DeviceView[]>;
  get(name: string): Promise<DeviceView | undefined>;
  /** throws 'conflict' if the name exists, 'invalid' for an unknown credential/poll profile */
  create(device: DeviceInput): Promise<DeviceView>;
  /** throws 'not-found' or 'invalid' */
  update(name: string, device: DeviceInput): Promise<DeviceView>;
  /** false if there was no such device; throws 'conflict' while another device names it as a parent */
  remove(name: string): Promise<boolean>;
  /** the API-created device a config device of its name hides (neither listed nor polled), if any: DELETE ?hidden=true's ETag */
  hidden(name: string): Promise<DeviceView | undefined>;
  /** removes that hidden device (the config one stays); false if none is hidden */
  removeHidden(name: string): Promise<boolean>;
}

export interface CredentialsPort {
  list(): Promise<CredentialSummary[]>;
  /** one profile's summary; undefined when there is none */
  get(name: string): Promise<CredentialSummary | undefined>;
  /** creates or replaces a profile; secrets are stored, never returned */
  put(name: string, credential: Credential): Promise<CredentialSummary>;
  /** throws 'conflict' while a device uses it; false if there was none */
  remove(name: string): Promise<boolean>;
}

// ---------- time series (storage query path: the same shape as src/storage's SeriesQueryApi) ----------

export type { SeriesValue, SeriesQuery, SeriesPoint, Series, LatestPoint } from '../storage/types.ts';
/** exactly the storage query path: both stores answer it */
export type { SeriesQueryApi as SeriesPort } from '../storage/types.ts';

// ---------- availability (storage: device_status samples folded into time per state, outages) ----------

export type { AvailabilityQuery, DeviceAvailability, AvailabilitySegment, AvailabilityState, Outage } from '../storage/availability.ts';
/** the storage query path's availability(): both stores answer it */
export type AvailabilityPort = Pick<SeriesQueryApi, 'availability'>;

// ---------- OID dictionary (src/mib) ----------

export interface OidNode {
  /** dotted numeric, no leading dot */
  oid: string;
  name: string;
  module: string;
  /** e.g. scalar, table, row, column, notification, node, group, compliance, identity */
  kind: string;
  syntax?: string;
  access?: string;
  status?: string;
  units?: string;
  description?: string;
  /** INDEX of a row (`IF-MIB::ifIndex`) */
  indexes?: string[];
  /** AUGMENTS of a row */
  augments?: string;
  /** OBJECTS of a notification or group */
  objects?: string[];
  /** enumerated values: number → label */
  enums?: Record<string, string>;
  childCount: number;
}

export interface MibModuleInfo {
  name: string;
  nodeCount: number;
  /** the file relative to the MIB directory it was found in (`standard/IF-MIB.txt`), `uploaded/NAME.mib` for a saved upload, or 'upload'; never a server path */
  source?: string;
  /** problems from compiling it; a module with errors may still have partly loaded */
  errors: string[];
}

export interface MibProblem {
  /** 1-based, when known */
  line?: number;
  column?: number;
  /** the module the problem is in, when the text declares several */
  module?: string;
  message: string;
  /** warnings are tolerated deviations; only errors refuse a module */
  severity?: 'error' | 'warning';
}

export type AddModuleResult =
  | { ok: true; module: MibModuleInfo; warnings?: MibProblem[] }
  | { ok: false; errors: MibProblem[] }
  /** the upload cannot be parsed now (parser queue full, parser worker failed, stopping): 503 with Retry-After; the message names the upload and the cause */
  | { ok: false; unavailable: string; retryAfterSeconds: number }
  /** the module compiles but the server failed to keep it (cannot save it): 500, the message naming no server path */
  | { ok: false; failed: string };

export interface OidDictionaryPort {
  /** matches names, qualified names (IF-MIB::ifDescr), numeric prefixes and descriptions */
  search(q: string, opts: { limit: number; offset: number }): Promise<{ total: number; items: OidNode[] }>;
  /** by name (`ifDescr`), qualified name (`IF-MIB::ifDescr`) or numeric OID */
  node(nameOrOid: string): Promise<OidNode | undefined>;
  children(oid: string): Promise<OidNode[]>;
  modules(): Promise<MibModuleInfo[]>;
  /** compiles and adds a module; on errors (a parse over its time limit is one) the dictionary is unchanged */
  addModule(text: string): Promise<AddModuleResult>;
}

// ---------- topology (src/topology) ----------

/** the topology module's API view: `protocol` is the link's sources joined with `,` */
export type {
  ApiTopologyGraph as TopologyGraph, ApiNeighbor as Neighbor, ApiTopologyPort as TopologyPort,
} from '../topology/api-view.ts';
export type TopologyNode = ApiTopologyGraph['nodes'][number];
export type TopologyLink = ApiTopologyGraph['links'][number];

// ---------- traps, alerts, rules (src/traps, src/alerts) ----------

/** One logged trap. Any other field the source carries (e.g. the store's `securityName`, a community) is stripped by the API. */
export interface TrapRecord {
  id: string;
  time: number;
  /** sender address:port */
  source: string;
  /** the managed device it maps to, if any */
  device?: string;
  /** '1', '2c' or '3' */
  version: string;
  trapOid: string;
  /** translated name (SNMPv2-MIB::linkDown) when the dictionary knows it */
  trapName?: string;
  severity?: string;
  varbinds: { oid: string; name?: string; type: string; value: string }[];
}

export interface TrapFilter {
  device?: string;
  /** trap OID, numeric or name, prefix match */
  oid?: string;
  from?: number;
  to?: number;
  limit: number;
}

export interface TrapsPort {
  /** newest first */
  list(filter: TrapFilter): Promise<TrapRecord[]>;
}

export interface AlertFilter {
  state?: AlertState | 'active';
  severity?: Severity;
  device?: string;
  /** true: only alerts held back now by a maintenance window or a down parent; false: the others */
  suppressed?: boolean;
  limit: number;
}

/** the list's filters without a limit, for the active states only (cleared alerts are the whole history) */
export interface AlertCountFilter extends Omit<AlertFilter, 'state' | 'limit'> {
  state: Exclude<AlertState, 'cleared'> | 'active';
}

export interface AlertCount {
  count: number;
  /** every severity, 0 when none */
  bySeverity: Record<Severity, number>;
}

export interface AlertsPort {
  /** newest first */
  list(filter: AlertFilter): Promise<Alert[]>;
  /** how many alerts list() would give without a limit, counted without reading them */
  count(filter: AlertCountFilter): Promise<AlertCount>;
  get(id: string): Promise<Alert | undefined>;
  /** undefined if no such alert; an already acknowledged/cleared alert is returned unchanged */
  ack(id: string, by: string): Promise<Alert | undefined>;
  clear(id: string, by: string): Promise<Alert | undefined>;
}

/** An alert rule: what raises an alert, and what clears it. */
export interface RuleInput {
  name: string;
  enabled: boolean;
  severity: Severity;
  description?: string;
  /** limit to devices carrying these tags (empty = all devices) */
  match: { device?: string; tags?: Record<string, string> };
  condition:
    | { type: 'trap'; trapOid: string; clearTrapOid?: string; varbinds?: Record<string, string> }
    | { type: 'threshold'; measurement: string; field: string; op: '>' | '>=' | '<' | '<=' | '==' | '!='; value: number; forMs: number; clearValue?: number }
    | { type: 'device-state'; states: DeviceState[]; forMs: number };
  /** notifier names to send to */
  notify: string[];
}

export interface Rule extends RuleInput {
  id: string;
}

export interface RulesPort {
  list(): Promise<Rule[]>;
  get(id: string): Promise<Rule | undefined>;
  create(rule: RuleInput): Promise<Rule>;
  /** throws 'not-found' */
  update(id: string, rule: RuleInput): Promise<Rule>;
  remove(id: string): Promise<boolean>;
}

// ---------- maintenance windows (src/alerts/maintenance.ts) ----------

/** What a client sends to create a window, validated by src/alerts/maintenance-schema.ts (times and duration in ms). */
export type MaintenanceInput = MaintenanceWindowSpec;

export interface MaintenanceWindowView extends MaintenanceWindow {
  /** inside the window now */
  active: boolean;
  /** when active: the end of the current occurrence */
  activeUntil?: number;
  /** when not active: the next start, if there is one */
  nextStart?: number;
  /** the known devices it covers (names, tags) */
  covers: string[];
  /** a config window only: it hides an API-created window of its name, which is neither listed nor applied */
  shadows?: 'api';
  /** an API window only (read by id): a config window of its name hides it, so it is neither listed nor applied */
  shadowedBy?: 'config';
}

export interface MaintenancePort {
  list(): Promise<MaintenanceWindowView[]>;
  /** one window (its `covers` computed for it alone); undefined when there is none */
  get(id: string): Promise<MaintenanceWindowView | undefined>;
  /** throws 'conflict' when the name is taken */
  create(input: MaintenanceInput, by: string): Promise<MaintenanceWindowView>;
  /** false when there is no such window; throws 'conflict' for a config window */
  remove(id: string): Promise<boolean>;
}

// ---------- metrics, health, events ----------

export interface MetricSample {
  labels?: Record<string, string>;
  value: number;
}

/**
 * One Prometheus metric family. The API renders the text format. Expected families:
 * netpulse_poll_duration_seconds (summary/gauge, labels device), netpulse_polls_missed_total,
 * netpulse_poll_queue_depth, netpulse_traps_received_total, netpulse_traps_rejected_total
 * (label reason), netpulse_points_written_total, netpulse_points_spooled, netpulse_points_dropped_total.
 */
export interface MetricFamily {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'summary' | 'untyped';
  samples: MetricSample[];
}

export interface HealthCheck {
  name: string;
  ok: boolean;
  detail?: string;
}

/** a cron-style job (nightly cache warm-up, ...); times in ms since the epoch, null when none */
export interface CronJobView {
  name: string;
  expression: string;
  lastRunAt: number | null;
  nextRunAt: number | null;
  runs: number;
  failures: number;
  /** null when the last run succeeded (or none ran) */
  lastError: string | null;
  /** a run is in progress */
  running: boolean;
}

export interface HealthPort {
  /** readiness: storage reachable, config loaded, scheduler running, trap listener bound */
  checks(): Promise<HealthCheck[]>;
  cronJobs(): Promise<CronJobView[]>;
}

export interface CronPort {
  /**
   * Starts a run of the job now, counted like a scheduled run, without waiting for it to end:
   * the job's view (`running: true`); undefined when there is no such job; throws 'conflict'
   * while a run of it is in progress.
   */
  run(name: string): Promise<CronJobView | undefined>;
}

export type ApiEvent =
  | { type: 'device-state'; device: string; from: DeviceState; to: DeviceState; time: number; error?: string }
  | { type: 'alert'; change: 'opened' | 'repeated' | 'escalated' | 'acknowledged' | 'cleared'; alert: Alert }
  | { type: 'trap'; trap: TrapRecord };

export interface EventsPort {
  /** returns the unsubscribe function */
  subscribe(listener: (event: ApiEvent) => void): () => void;
}

export interface ApiServices {
  devices: DevicesPort;
  credentials: CredentialsPort;
  series: Omit<SeriesQueryApi, 'availability'>;
  availability: AvailabilityPort;
  oids: OidDictionaryPort;
  topology: ApiTopologyPort;
  traps: TrapsPort;
  alerts: AlertsPort;
  rules: RulesPort;
  maintenance: MaintenancePort;
  metrics(): Promise<MetricFamily[]>;
  health: HealthPort;
  cron: CronPort;
  events: EventsPort;
}
