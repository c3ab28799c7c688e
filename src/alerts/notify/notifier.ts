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

/**
 * Routes alert changes to channels (the rule's own `notify` list plus every matching route)
 * and hands each to that channel's throttle (per-minute limit, digests) and bounded queue.
 * publish() never blocks or throws.
 */
export class Notifier {
  private readonly queues = new Map<string, ChannelQueue>();
  private readonly throttles = new Map<string, ChannelThrottle>();
  private routes: { route: Route; rules?: ((s: string) => boolean)[] }[] = [];
  unknownChannel = 0;

  constructor(config: NotificationsConfig, opts: { channels?: Channel[]; onError?: (msg: string) => void; onWarn?: (msg: string) => void } = {}) {
    const byName = new Map(config.channels.map((c) => [c.name, c]));
    const channels = opts.channels ?? config.channels.map(createChannel);
    const link = config.uiUrl ? `${config.uiUrl.replace(/\/+$/, '')}/#/alerts` : undefined;
    for (const ch of channels) {
      const cfg = byName.get(ch.name);
      const limits = throttleOf(config.throttle, cfg?.throttle);
      let throttle: ChannelThrottle | undefined;
      const secrets = cfg ? channelSecrets(cfg) : [];
      const queue = new ChannelQueue(ch, {
        capacity: cfg?.queue ?? 1000,
        retries: cfg?.retries ?? 5,
        backoffMs: parseDuration(cfg?.backoff ?? '1s')!,
        onError: opts.onError,
        onWarn: opts.onWarn ?? opts.onError,
        onDrop: limits.maxPerMinute > 0 ? (c) => throttle?.absorb(c) : undefined,
        onDigestFailed: (d, reason) => throttle?.digestFailed(d, reason),
        redact: (reason) => redactReason(reason, secrets),
      });
      throttle = new ChannelThrottle(queue, limits, link);
      this.queues.set(ch.name, queue);
      this.throttles.set(ch.name, throttle);
    }
    this.routes = config.routes.map((route) => ({ route, rules: route.rules?.map(globMatcher) }));
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
      const t = this.throttles.get(name);
      if (t) t.offer(change);
      else this.unknownChannel++;
    }
  }

  stats(): Record<string, ChannelStats> {
    return Object.fromEntries([...this.queues].map(([n, q]) => [n, { ...q.stats }]));
  }

  async idle(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.idle()));
  }

  close(): void {
    for (const t of this.throttles.values()) t.close();
    for (const q of this.queues.values()) q.close();
  }

  /** changes held back per channel and not yet in a digest */
  held(): Record<string, number> {
    return Object.fromEntries([...this.throttles].map(([n, t]) => [n, t.held]));
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
