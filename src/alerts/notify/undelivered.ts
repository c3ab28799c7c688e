import type { AlertChangeKind } from '../types.ts';
import type { Digest, DigestKindCount } from './digest.ts';
import { redactUrlSecrets } from './redact-url-secrets.ts';

/**
 * Digests given up after all their retries, carried into the channel's next digest. Only
 * totals are kept (fixed size however long the channel is down), never the alerts themselves.
 */
export interface UndeliveredDigests {
  /** digests given up since `since`, counted until one carrying them is delivered */
  digests: number;
  /** when the first of them was given up (ms since the epoch) */
  since: number;
  /** when the last one was given up */
  lastFailedAt: number;
  /** why the last one failed: secrets removed (see redactReason), at most MAX_REASON characters */
  lastReason: string;
  /** held-back changes they stood for, and when the first and the last of them arrived */
  total: number;
  from: number;
  to: number;
  kinds: Partial<Record<AlertChangeKind, DigestKindCount>>;
}

const MAX_REASON = 200;
/** a digest carrying only undelivered counts is retried after 1, 2, 4 ... minutes, at most an hour */
const CARRY_RETRY_BASE_MS = 60_000;
const CARRY_RETRY_MAX_MS = 3_600_000;

function addKinds(into: Partial<Record<AlertChangeKind, DigestKindCount>>, from: Partial<Record<AlertChangeKind, DigestKindCount>>): void {
  for (const [kind, c] of Object.entries(from) as [AlertChangeKind, DigestKindCount][]) {
    const k = (into[kind] ??= { total: 0, bySeverity: {} });
    k.total += c.total;
    for (const [sev, n] of Object.entries(c.bySeverity) as [keyof DigestKindCount['bySeverity'], number][]) k.bySeverity[sev] = (k.bySeverity[sev] ?? 0) + n;
  }
}

function span(a: { from: number; to: number; total: number }, b: { from: number; to: number; total: number }): { from: number; to: number } {
  if (a.total === 0) return { from: b.from, to: b.to };
  if (b.total === 0) return { from: a.from, to: a.to };
  return { from: Math.min(a.from, b.from), to: Math.max(a.to, b.to) };
}

/**
 * `carry` with the given-up `digest` added: its own counts, what it carried itself, and one more
 * undelivered digest. `reason` must already be free of secrets (see redactReason).
 */
export function addUndelivered(carry: UndeliveredDigests | undefined, digest: Digest, reason: string, now: number): UndeliveredDigests {
  const out: UndeliveredDigests = carry
    ? { ...carry, kinds: structuredClone(carry.kinds) }
    : { digests: 0, since: now, lastFailedAt: now, lastReason: '', total: 0, from: 0, to: 0, kinds: {} };
  for (const part of digest.undelivered ? [digest.undelivered, digest] : [digest]) {
    Object.assign(out, span(out, part));
    out.total += part.total;
    addKinds(out.kinds, part.kinds);
  }
  out.digests += (digest.undelivered?.digests ?? 0) + 1;
  out.since = Math.min(out.since, digest.undelivered?.since ?? now);
  out.lastFailedAt = now;
  out.lastReason = reason;
  return out;
}

/** when a digest carrying nothing but `carry` may be tried again */
export function carryRetryAt(carry: UndeliveredDigests): number {
  const doublings = Math.min(carry.digests - 1, 6);
  return carry.lastFailedAt + Math.min(CARRY_RETRY_BASE_MS * 2 ** doublings, CARRY_RETRY_MAX_MS);
}

/** a secret replaced by `shownAs` instead of [redacted]: a channel URL shown as `scheme://host/…` */
export interface ShownSecret {
  text: string;
  shownAs: string;
}

/** secrets shorter than this are replaced where they stand as a whole word only */
const SHORT_SECRET = 4;
const isWordChar = (text: string, i: number): boolean => i >= 0 && i < text.length && /[\p{L}\p{N}_]/u.test(text[i]);

/**
 * `text` with every occurrence of the secrets replaced in one pass, so a replacement is never
 * searched again: overlapping occurrences become one [redacted], unless all of them lie inside
 * one ShownSecret, which is then shown as its `shownAs`.
 */
function replaceSecrets(text: string, secrets: readonly (string | ShownSecret)[]): string {
  const hits: { start: number; end: number; shownAs?: string }[] = [];
  for (const secret of secrets) {
    const { text: t, shownAs } = typeof secret === 'string' ? { text: secret, shownAs: undefined } : secret;
    if (t.length === 0) continue;
    // a secret this short is replaced only as a whole word: "pw1" in "bad password pw1", not in "spw12"
    const wholeWord = t.length < SHORT_SECRET;
    for (let i = text.indexOf(t); i >= 0; i = text.indexOf(t, i + 1)) {
      if (wholeWord && (isWordChar(text, i - 1) || isWordChar(text, i + t.length))) continue;
      hits.push({ start: i, end: i + t.length, shownAs });
    }
  }
  hits.sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let pos = 0;
  for (let i = 0; i < hits.length; ) {
    let { end, shownAs } = hits[i];
    out += text.slice(pos, hits[i].start);
    for (i++; i < hits.length && hits[i].start < end; i++) {
      if (hits[i].end > end) [end, shownAs] = [hits[i].end, undefined];
    }
    out += shownAs ?? '[redacted]';
    pos = end;
  }
  return out + text.slice(pos);
}

/**
 * A failure reason fit for a log line or notification text: the channel's secrets (path and
 * query of its URL, tokens, passwords, header values) replaced, its URL shown as
 * `scheme://host/…`, and in any other URL its userinfo, credential-looking path segments and
 * secret-looking query values (host, port and the rest of the path stay to debug with); one
 * line, cut to MAX_REASON characters.
 */
export function redactReason(reason: string, secrets: readonly (string | ShownSecret)[]): string {
  const s = redactUrlSecrets(replaceSecrets(reason, secrets)).replace(/\s+/g, ' ').trim();
  return s.length > MAX_REASON ? s.slice(0, MAX_REASON - 3) + '...' : s;
}
