import { parseDuration } from '../../model/duration.ts';
import { globMatcher } from '../glob.ts';
import type { AlertManager } from '../manager.ts';
import { SEVERITY_RANK, type AlertChange } from '../types.ts';
import { createChannel, type Channel } from './channels.ts';
import { ChannelQueue, type ChannelStats } from './queue.ts';
import type { NotificationsConfig, Route } from './schema.ts';

const RULE_KINDS = new Set(['opened', 'escalated', 'cleared']);

/**
 * Routes alert changes to channels (the rule's own `notify` list plus every matching route)
 * and hands each to that channel's bounded queue. publish() never blocks or throws.
 */
export class Notifier {
  private readonly queues = new Map<string, ChannelQueue>();
  private routes: { route: Route; rules?: ((s: string) => boolean)[] }[] = [];
  unknownChannel = 0;

  constructor(config: NotificationsConfig, opts: { channels?: Channel[]; onError?: (msg: string) => void } = {}) {
    const byName = new Map(config.channels.map((c) => [c.name, c]));
    const channels = opts.channels ?? config.channels.map(createChannel);
    for (const ch of channels) {
      const cfg = byName.get(ch.name);
      this.queues.set(ch.name, new ChannelQueue(ch, {
        capacity: cfg?.queue ?? 1000,
        retries: cfg?.retries ?? 5,
        backoffMs: parseDuration(cfg?.backoff ?? '1s')!,
        onError: opts.onError,
      }));
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
    if (change.alert.suppressed && change.alert.suppressed.until === undefined) return;
    const targets = new Set<string>();
    if (RULE_KINDS.has(change.kind)) for (const n of change.alert.notify ?? []) targets.add(n);
    for (const { route, rules } of this.routes) if (this.routeMatches(route, rules, change)) route.channels.forEach((c) => targets.add(c));
    for (const name of targets) {
      const q = this.queues.get(name);
      if (q) q.push(change);
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
    for (const q of this.queues.values()) q.close();
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
