import { parseDuration } from '../../model/duration.ts';
import { globMatcher } from '../glob.ts';
import type { AlertManager } from '../manager.ts';
import { SEVERITY_RANK, isSuppressedNow, type AlertChange } from '../types.ts';
import { createChannel, type Channel } from './channels.ts';
import { ChannelQueue, type ChannelStats } from './queue.ts';
import { THROTTLE_DEFAULTS, type ChannelConfig, type NotificationsConfig, type Route, type ThrottleConfig } from './schema.ts';
import { ChannelThrottle } from './throttle.ts';
import { isSecretPathSegment, urlHostOnly } from './redact-url-secrets.ts';
import { redactReason, type ShownSecret } from './undelivered.ts';

const RULE_KINDS = new Set(['opened', 'escalated', 'cleared']);
/** how long a channel removed by a config reload may go on delivering what it holds, by default */
export const RETIRE_DRAIN_MS = 10_000;
/** how long a shutdown waits for the channels to deliver what they hold, by default */
export const CLOSE_DRAIN_MS = 1000;

/** one channel's throttle in front of its queue; `definition` tells whether a reload changed it */
interface ChannelSlot {
  definition: string;
  queue: ChannelQueue;
  throttle: ChannelThrottle;
  /** the slot that replaced this one (a reload changed the channel): takes the counts of a digest given up in flight here */
  successor?: ChannelSlot;
}

export interface NotifierOptions {
  /** the channels to use instead of building them from the config (tests); a reload builds new ones with `createChannel` */
  channels?: Channel[];
  createChannel?: (cfg: ChannelConfig) => Channel;
  onError?: (msg: string) => void;
  onWarn?: (msg: string) => void;
}

/** What reconfigure() did, by channel name; `routes` when the route list differs. */
export interface NotifierChange {
  added: string[];
  changed: string[];
  removed: string[];
  routes: boolean;
}

/**
 * Routes alert changes to channels (the rule's own `notify` list plus every matching route)
 * and hands each to that channel's throttle (per-minute limit, digests) and bounded queue.
 * publish() never blocks or throws. reconfigure() swaps channels and routes (config reload).
 */
export class Notifier {
  private readonly slots = new Map<string, ChannelSlot>();
  private routes: { route: Route; rules?: ((s: string) => boolean)[] }[] = [];
  private config: NotificationsConfig;
  /** channels removed or replaced by a reload, still delivering what they held */
  private readonly retiring = new Set<ChannelQueue>();
  unknownChannel = 0;
  /** notifications a removed or replaced channel still held when its drain time ran out */
  droppedOnReload = 0;

  constructor(config: NotificationsConfig, private readonly opts: NotifierOptions = {}) {
    this.config = config;
    const byName = new Map(config.channels.map((c) => [c.name, c]));
    const channels = opts.channels ?? config.channels.map(opts.createChannel ?? createChannel);
    for (const ch of channels) this.slots.set(ch.name, this.slot(ch, byName.get(ch.name)));
    this.routes = routesOf(config);
  }

  /**
   * Swaps channels and routes for `next` (a config reload). A channel whose definition (and
   * effective throttle) is unchanged keeps its queue, throttle state and counters. A changed one
   * is replaced: its waiting entries and held-back changes (as a digest) move to the new one, the
   * entry in flight finishes on the old one. A removed one takes nothing more; it gets `drainMs`
   * to deliver what it holds, the rest is dropped, counted (droppedOnReload) and logged. Routes
   * are swapped in one assignment: an alert change is routed wholly by the old or by the new.
   */
  reconfigure(next: NotificationsConfig, drainMs = RETIRE_DRAIN_MS): NotifierChange {
    const change: NotifierChange = { added: [], changed: [], removed: [], routes: JSON.stringify(this.config.routes) !== JSON.stringify(next.routes) };
    const nextNames = new Set(next.channels.map((c) => c.name));
    for (const [name, slot] of this.slots) {
      if (nextNames.has(name)) continue;
      this.slots.delete(name);
      change.removed.push(name);
      void this.retire(name, slot, drainMs, 'removed');
    }
    this.config = next;
    for (const cfg of next.channels) {
      const old = this.slots.get(cfg.name);
      if (old && old.definition === definitionOf(next, cfg)) {
        old.throttle.setLink(linkOf(next));
        continue;
      }
      const slot = this.slot((this.opts.createChannel ?? createChannel)(cfg), cfg);
      this.slots.set(cfg.name, slot);
      if (!old) {
        change.added.push(cfg.name);
        continue;
      }
      change.changed.push(cfg.name);
      const held = old.throttle.takeHeld();
      slot.queue.adopt([...old.queue.takeWaiting(), ...(held ? [held] : [])]);
      old.successor = slot;
      void this.retire(cfg.name, old, drainMs, 'replaced');
    }
    this.routes = routesOf(next);
    return change;
  }

  private slot(ch: Channel, cfg: ChannelConfig | undefined): ChannelSlot {
    const limits = throttleOf(this.config.throttle, cfg?.throttle);
    let throttle: ChannelThrottle | undefined;
    let slot: ChannelSlot | undefined;
    const secrets = cfg ? channelSecrets(cfg) : [];
    const queue = new ChannelQueue(ch, {
      capacity: cfg?.queue ?? 1000,
      retries: cfg?.retries ?? 5,
      backoffMs: parseDuration(cfg?.backoff ?? '1s')!,
      onError: this.opts.onError,
      onWarn: this.opts.onWarn ?? this.opts.onError,
      onDrop: limits.maxPerMinute > 0 ? (c) => throttle?.absorb(c) : undefined,
      // a replaced channel's throttle is closed: its successor carries the counts into its next digest
      onDigestFailed: (d, reason) => current(slot)?.throttle.digestFailed(d, reason),
      redact: (reason) => redactReason(reason, secrets),
    });
    throttle = new ChannelThrottle(queue, limits, linkOf(this.config));
    slot = { definition: cfg ? definitionOf(this.config, cfg) : '', queue, throttle };
    return slot;
  }

  /** a channel out of the routing: what it holds gets `drainMs`, then the rest is dropped and counted */
  private async retire(name: string, slot: ChannelSlot, drainMs: number, why: 'removed' | 'replaced'): Promise<void> {
    // held-back changes of a removed channel never make a digest: it sends nothing new
    const held = slot.throttle.held;
    slot.throttle.close();
    this.retiring.add(slot.queue);
    await settledWithin(slot.queue.idle(), drainMs);
    const lost = slot.queue.pending + (why === 'removed' ? held : 0);
    slot.queue.close();
    this.retiring.delete(slot.queue);
    if (lost === 0) return;
    this.droppedOnReload += lost;
    (this.opts.onWarn ?? this.opts.onError)?.(
      `channel ${name}: ${why} by a config reload; ${lost} notification(s) it still held were dropped after ${drainMs} ms (${this.droppedOnReload} dropped by reloads in all)`,
    );
  }

  attach(manager: AlertManager): () => void {
    return manager.onChange((c) => this.publish(c));
  }

  publish(change: AlertChange): void {
    // opened/escalated/cleared held back by flap detection or a rate limit stay silent;
    // repeats and acknowledgements go only to routes that ask for them by `kinds`
    if (!change.notify && RULE_KINDS.has(change.kind)) return;
    // a silenced alert (maintenance window, down parent) sends nothing, repeats included
    if (isSuppressedNow(change.alert)) return;
    // nor one whose notification still waits for its parents (parentHold)
    if (change.held) return;
    const targets = new Set<string>();
    if (RULE_KINDS.has(change.kind)) for (const n of change.alert.notify ?? []) targets.add(n);
    for (const { route, rules } of this.routes) if (this.routeMatches(route, rules, change)) route.channels.forEach((c) => targets.add(c));
    for (const name of targets) {
      const slot = this.slots.get(name);
      if (slot) slot.throttle.offer(change);
      else this.unknownChannel++;
    }
  }

  stats(): Record<string, ChannelStats> {
    return Object.fromEntries([...this.slots].map(([n, s]) => [n, { ...s.queue.stats }]));
  }

  /** the channels routed to, by name */
  channels(): string[] {
    return [...this.slots.keys()];
  }

  async idle(): Promise<void> {
    await Promise.all([...this.slots.values()].map((s) => s.queue.idle()));
  }

  /**
   * Shutdown: waits up to `drainMs` for every channel (those retiring too) to deliver what it
   * holds, then closes. Returns what was dropped then: notifications still queued or in flight,
   * and changes held for a digest not sent yet.
   */
  async drain(drainMs = CLOSE_DRAIN_MS): Promise<{ queued: number; held: number }> {
    const queues = [...[...this.slots.values()].map((s) => s.queue), ...this.retiring];
    await settledWithin(Promise.all(queues.map((q) => q.idle())), drainMs);
    const dropped = {
      queued: queues.reduce((n, q) => n + q.pending, 0),
      held: [...this.slots.values()].reduce((n, s) => n + s.throttle.held, 0),
    };
    this.close();
    return dropped;
  }

  close(): void {
    for (const s of this.slots.values()) {
      s.throttle.close();
      s.queue.close();
    }
    for (const q of this.retiring) q.close();
  }

  /** changes held back per channel and not yet in a digest */
  held(): Record<string, number> {
    return Object.fromEntries([...this.slots].map(([n, s]) => [n, s.throttle.held]));
  }

  private routeMatches(route: Route, rules: ((s: string) => boolean)[] | undefined, change: AlertChange): boolean {
    const a = change.alert;
    if (!route.kinds.includes(change.kind)) return false;
    if (route.minSeverity && SEVERITY_RANK[a.severity] > SEVERITY_RANK[route.minSeverity]) return false;
    if (route.severities && !route.severities.includes(a.severity)) return false;
    if (route.sources && !route.sources.includes(a.source)) return false;
    if (rules && !rules.some((match) => match(a.rule))) return false;
    return true;
  }
}

/** a URL path segment or query value that may be a credential: not under 4 characters, not lower-case words */
export function mayBeToken(part: string): boolean {
  return part.length >= 4 && (part.length >= 20 || !/^[a-z]+(-[a-z]+)*$/.test(part) || isSecretPathSegment(part));
}

/**
 * What must never appear in a notification text: passwords, HMAC secrets, header values, and
 * the path, path segments and query values of the channel URL that may be tokens (mayBeToken). The URL itself,
 * as written or normalised, is shown as `scheme://host[:port]/…`: its host is no secret.
 */
function channelSecrets(cfg: ChannelConfig): (string | ShownSecret)[] {
  const out: (string | ShownSecret)[] = [];
  if (cfg.type === 'email') {
    if (cfg.password) out.push(cfg.password);
    return out;
  }
  const urls = [cfg.url];
  if (URL.canParse(cfg.url)) {
    const u = new URL(cfg.url);
    urls.push(u.href);
    // the whole path and query, and each segment or value that may be a token on its own; plain
    // words (`services`, `hooks`, `api`) are left, or "Slack services unavailable" would lose them
    const parts = [u.pathname + u.search, ...[...u.pathname.split('/'), ...u.searchParams.values()].filter(mayBeToken)];
    // the host and the channel's name are shown anyway
    out.push(...parts.filter((p) => !u.host.includes(p) && !cfg.name.includes(p)));
  }
  for (const url of urls) {
    const shownAs = urlHostOnly(url);
    // the shown form, too, when channels.ts has put it in the reason already
    out.push({ text: url, shownAs }, { text: shownAs, shownAs });
  }
  if (cfg.type === 'webhook') {
    if (cfg.secret) out.push(cfg.secret);
    out.push(...Object.values(cfg.headers));
  }
  return out;
}

/** resolves once `work` has, or after `ms` (a timer that does not keep the process alive), whichever comes first */
async function settledWithin(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise<void>((r) => { timer = setTimeout(r, ms); timer.unref(); })]);
  clearTimeout(timer);
}

/** the slot now in use for the channel of `slot` (its last successor) */
function current(slot: ChannelSlot | undefined): ChannelSlot | undefined {
  while (slot?.successor) slot = slot.successor;
  return slot;
}

const routesOf = (config: NotificationsConfig) => config.routes.map((route) => ({ route, rules: route.rules?.map(globMatcher) }));
const linkOf = (config: NotificationsConfig) => (config.uiUrl ? `${config.uiUrl.replace(/\/+$/, '')}/#/alerts` : undefined);
/** a channel's settings and its effective throttle: equal text, same channel */
const definitionOf = (config: NotificationsConfig, cfg: ChannelConfig) => JSON.stringify([cfg, throttleOf(config.throttle, cfg.throttle)]);

/** the channel's own throttle settings over `notifications.throttle` */
function throttleOf(defaults: ThrottleConfig | undefined, own: Partial<ThrottleConfig> | undefined): ThrottleConfig {
  const base: ThrottleConfig = defaults ?? { ...THROTTLE_DEFAULTS };
  if (!own) return base;
  return {
    maxPerMinute: own.maxPerMinute ?? base.maxPerMinute,
    bypassSeverity: own.bypassSeverity ?? base.bypassSeverity,
    digestMaxAlerts: own.digestMaxAlerts ?? base.digestMaxAlerts,
  };
}
