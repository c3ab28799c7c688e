import { renderTemplate } from '../template.ts';
import { isRemoval } from '../threshold.ts';
import { SEVERITIES, type AlertChange, type AlertChangeKind, type Severity } from '../types.ts';
import type { Digest, DigestKindCount } from './digest.ts';
import type { UndeliveredDigests } from './undelivered.ts';

export const DEFAULT_TEXT = '[{SEVERITY}] {state}: {message} (device {device}, count {count}, first {firstSeen}, last {lastSeen})';

/** OPEN, ESCALATED, CLEARED, ACKNOWLEDGED, REPEATED; a clear because the rule or the device was removed is no recovery and says so */
const stateWord = (kind: AlertChangeKind, clearedBy?: string): string =>
  kind === 'opened' ? 'OPEN' : kind === 'cleared' && isRemoval(clearedBy) ? `CLEARED (${clearedBy}, not a recovery)` : kind.toUpperCase();

/** template values for one alert change; secrets never reach an alert, so all are safe */
export function changeVars(change: AlertChange): Record<string, string> {
  const a = change.alert;
  return {
    kind: change.kind,
    id: a.id,
    key: a.key,
    rule: a.rule,
    source: a.source,
    device: a.device ?? '',
    severity: a.severity,
    SEVERITY: a.severity.toUpperCase(),
    state: change.kind === 'opened' && a.flapping ? 'FLAPPING' : stateWord(change.kind, a.clearedBy),
    /** who or what cleared it (`auto`, a user, `rule removed`); empty unless the change is a clear */
    clearedBy: change.kind === 'cleared' ? (a.clearedBy ?? '') : '',
    message: a.message,
    count: String(a.count),
    flapping: String(a.flapping),
    firstSeen: new Date(a.firstSeen).toISOString(),
    lastSeen: new Date(a.lastSeen).toISOString(),
    ...Object.fromEntries(Object.entries(a.labels).map(([k, v]) => [`label.${k}`, v])),
  };
}

/** `escape` applies to the values only: the template is the operator's own markup */
export function render(template: string, change: AlertChange, escape?: (value: string) => string): string {
  const vars = changeVars(change);
  return renderTemplate(template, (n) => (escape && vars[n] !== undefined ? escape(vars[n]) : vars[n]));
}

const KIND_ORDER = ['opened', 'escalated', 'cleared', 'acknowledged', 'repeated'] as const;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const iso = (t: number) => new Date(t).toISOString();

/** `37 alerts: 30 opened (critical 5, major 25), 7 cleared` */
function countsText(total: number, kinds: Partial<Record<AlertChangeKind, DigestKindCount>>, noun = 'alert'): string {
  const parts = KIND_ORDER.filter((k) => kinds[k]).map((k) => {
    const c = kinds[k]!;
    const sev = k === 'opened' || k === 'escalated'
      ? ` (${SEVERITIES.filter((s) => c.bySeverity[s]).map((s) => `${s} ${c.bySeverity[s]}`).join(', ')})`
      : '';
    return `${c.total} ${k}${sev}`;
  });
  return `${plural(total, noun)}${parts.length ? ': ' + parts.join(', ') : ''}`;
}

/**
 * `37 more alerts: 30 opened (critical 5, major 25), 7 cleared`; with earlier digests not delivered
 * `... (+120 alerts from 3 undelivered digests)`, or only those when nothing new was held back
 */
export function digestSummary(d: Digest): string {
  const u = d.undelivered;
  if (u && d.total === 0) return `${plural(u.digests, 'digest')} not delivered since ${iso(u.since)}, ${countsText(u.total, u.kinds)}`;
  const more = countsText(d.total, d.kinds, 'more alert');
  return u ? `${more} (+${plural(u.total, 'alert')} from ${plural(u.digests, 'undelivered digest')})` : more;
}

const same = (s: string): string => s;

/** what the given-up digests held back, since when they fail and the last reason */
function undeliveredLine(u: UndeliveredDigests, escape: (s: string) => string): string {
  const held = u.total > 0 ? ` They held back ${countsText(u.total, u.kinds)}, between ${iso(u.from)} and ${iso(u.to)}.` : '';
  return `NOT DELIVERED: ${plural(u.digests, 'earlier digest')} of this channel failed after all retries, the first at ${iso(u.since)}, the last at ${iso(u.lastFailedAt)} (${u.lastReason ? escape(u.lastReason) : 'no reason given'}).${held}`;
}

/** characters the listed alerts of a digest may take: the whole text stays under ~4,000 (Slack's advice) */
export const MAX_DIGEST_LISTING = 3000;

/**
 * the digest's lines: summary, the listed alerts, how many are not listed, top devices, link;
 * `escape` applies to what came from devices or servers (messages, device names, failure reasons)
 */
export function digestLines(d: Digest, escape: (value: string) => string = same): string[] {
  const lines = [digestSummary(d)];
  if (d.undelivered) lines.push(undeliveredLine(d.undelivered, escape));
  let budget = MAX_DIGEST_LISTING;
  let listed = 0;
  for (const e of d.alerts) {
    const where = e.device ? `device ${escape(e.device)}, ` : '';
    const line = `- [${e.severity.toUpperCase()}] ${stateWord(e.kind, e.clearedBy)}: ${escape(e.message)} (${where}${new Date(e.time).toISOString()})`;
    if ((budget -= line.length + 1) < 0) break;
    lines.push(line);
    listed++;
  }
  const unlisted = d.total - listed;
  if (unlisted > 0) lines.push(`... and ${unlisted} more not listed`);
  if (d.topDevices.length) lines.push(`top devices: ${d.topDevices.map((t) => `${escape(t.device)} (${t.count})`).join(', ')}`);
  if (d.total > 0) lines.push(`held back between ${iso(d.from)} and ${iso(d.to)} (limit of channel ${d.channel})`);
  if (d.link) lines.push(`see ${d.link}`);
  return lines;
}

export function renderDigestText(d: Digest, separator = '\n', escape?: (value: string) => string): string {
  return digestLines(d, escape).join(separator);
}

/** an email digest's subject: placeholders {summary} {total} {channel} */
export function renderDigestSubject(template: string, d: Digest): string {
  const vars: Record<string, string> = { summary: digestSummary(d), total: String(d.total), channel: d.channel };
  return renderTemplate(template, (n) => vars[n]);
}

/** the worst severity opened or escalated in the digest; undefined when it only clears */
export function digestWorst(d: Digest): Severity | undefined {
  const u = d.undelivered?.kinds;
  return SEVERITIES.find((s) => d.kinds.opened?.bySeverity[s] || d.kinds.escalated?.bySeverity[s] || u?.opened?.bySeverity[s] || u?.escalated?.bySeverity[s]);
}
