import { z } from 'zod';
import { durationAsWritten } from '../../model/duration-schema.ts';
import { SEVERITIES } from '../types.ts';

/** a channel's shortest `timeout` */
const MIN_TIMEOUT_MS = 100;

/**
 * Per-channel throttling: at most `maxPerMinute` messages per minute; the rest are collected and
 * sent as one digest when the minute rolls over. Every field here is optional; unset fields come
 * from `notifications.throttle`.
 */
const throttleFields = {
  /** messages per channel per minute (0 = unlimited) */
  maxPerMinute: z.number().int().min(0).max(10_000),
  /** alerts at least this severe are sent at once, over the limit too (`none`: no bypass) */
  bypassSeverity: z.enum([...SEVERITIES, 'none']),
  /** a digest lists at most this many alerts (the most severe first), then only counts */
  digestMaxAlerts: z.number().int().min(0).max(100),
};
export const THROTTLE_DEFAULTS = { maxPerMinute: 10, bypassSeverity: 'none', digestMaxAlerts: 10 } as const;
export const ThrottleSchema = z.strictObject({
  maxPerMinute: throttleFields.maxPerMinute.default(THROTTLE_DEFAULTS.maxPerMinute),
  bypassSeverity: throttleFields.bypassSeverity.default(THROTTLE_DEFAULTS.bypassSeverity),
  digestMaxAlerts: throttleFields.digestMaxAlerts.default(THROTTLE_DEFAULTS.digestMaxAlerts),
});
export type ThrottleConfig = z.output<typeof ThrottleSchema>;
const ChannelThrottleSchema = z.strictObject({
  maxPerMinute: throttleFields.maxPerMinute.optional(),
  bypassSeverity: throttleFields.bypassSeverity.optional(),
  digestMaxAlerts: throttleFields.digestMaxAlerts.optional(),
});

const common = {
  name: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only'),
  /** body/text template; see README for the placeholders */
  template: z.string().optional(),
  /** bounded queue: the oldest pending notification is dropped (and counted) when full */
  queue: z.number().int().min(1).max(1_000_000).default(1000),
  retries: z.number().int().min(0).max(20).default(5),
  /**
   * first retry delay; doubles each attempt, capped at 5 minutes. A webhook or chat answer 429/503
   * with `Retry-After` (seconds or an HTTP-date) waits that long instead when it is longer, up to
   * 5 minutes. Each duration here ends up in a timer (at most MAX_TIMER_MS); a backoff of 0 is no wait
   */
  backoff: durationAsWritten({ min: 0 }).default('1s'),
  /** each wait for the receiver; a shorter one ends every request before an answer can come */
  timeout: durationAsWritten({ min: MIN_TIMEOUT_MS }).default('10s'),
  /** overrides `notifications.throttle` for this channel */
  throttle: ChannelThrottleSchema.optional(),
};

const url = z.string().url().refine((u) => /^https?:/.test(u), { message: 'expected an http(s) URL' })
  // fetch refuses URLs with credentials; the message must not echo them
  .refine((u) => !URL.canParse(u) || (new URL(u).username === '' && new URL(u).password === ''), {
    message: 'must not contain a user or password (webhook: send them in headers, e.g. Authorization)',
  });

export const WebhookChannelSchema = z.strictObject({
  ...common,
  type: z.literal('webhook'),
  url,
  /**
   * signs each request: header `X-Netpulse-Timestamp: <unix seconds>` and header
   * `X-Netpulse-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<body>">` (how a receiver checks it:
   * src/alerts/notify/README.md, "Webhook signatures")
   */
  secret: z.string().min(1).optional(),
  /** name: an HTTP token; value: no CR, LF or NUL (fetch would refuse it on every attempt, quoting the value: often a token) */
  headers: z.record(
    z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'a header name: letters, digits and !#$%&\'*+.^_`|~-'),
    z.string().refine((v) => !/[\r\n\0]/.test(v), { message: 'a header value must not contain CR, LF or NUL' }),
  ).default({}),
});

export const ChatChannelSchema = z.strictObject({
  ...common,
  type: z.enum(['slack', 'teams', 'mattermost']),
  url,
});

export const EmailChannelSchema = z.strictObject({
  ...common,
  type: z.literal('email'),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(25),
  /** implicit TLS (465); otherwise STARTTLS when offered */
  secure: z.boolean().default(false),
  requireTLS: z.boolean().default(false),
  user: z.string().optional(),
  password: z.string().optional(),
  /**
   * with `user` set, the login goes over TLS only: `secure`, or STARTTLS, which is then required.
   * A server that offers no STARTTLS fails the delivery (permanently) instead of getting the password
   * in clear text. true: log in without TLS anyway (a relay on the same host or a trusted network).
   */
  allowPlaintextAuth: z.boolean().default(false),
  /**
   * one message's whole delivery (connect, TLS, login, data) ends after this, however slowly the
   * server answers; `timeout` bounds each wait for the server only
   */
  deadline: durationAsWritten({ min: 1 }).default('60s'),
  from: z.string().min(3),
  to: z.union([z.string().min(3), z.array(z.string().min(3)).min(1)]),
  subject: z.string().default('[netpulse] {SEVERITY} {state}: {message}'),
  /** subject of a digest mail: {summary} {total} {channel} */
  digestSubject: z.string().default('[netpulse] DIGEST: {summary}'),
});

export const ChannelSchema = z.discriminatedUnion('type', [WebhookChannelSchema, ChatChannelSchema, EmailChannelSchema]);
export type ChannelConfig = z.output<typeof ChannelSchema>;
export type WebhookChannelConfig = z.output<typeof WebhookChannelSchema>;
export type ChatChannelConfig = z.output<typeof ChatChannelSchema>;
export type EmailChannelConfig = z.output<typeof EmailChannelSchema>;

export const RouteSchema = z.strictObject({
  /** at least this severe (critical is the most severe) */
  minSeverity: z.enum(SEVERITIES).optional(),
  severities: z.array(z.enum(SEVERITIES)).optional(),
  /** rule id globs */
  rules: z.array(z.string()).optional(),
  sources: z.array(z.enum(['trap', 'device', 'threshold'])).optional(),
  /** which lifecycle changes to send */
  kinds: z.array(z.enum(['opened', 'escalated', 'repeated', 'acknowledged', 'cleared'])).default(['opened', 'escalated', 'cleared']),
  channels: z.array(z.string()).min(1),
});
export type Route = z.output<typeof RouteSchema>;

/** the web UI's base URL (digests link to its alerts page); http(s) only */
export const UiUrlSchema = url.optional();

export const NotificationsSchema = z
  .strictObject({
    channels: z.array(ChannelSchema).default([]),
    routes: z.array(RouteSchema).default([]),
    throttle: ThrottleSchema.prefault({}),
    uiUrl: UiUrlSchema,
  })
  .superRefine((n, ctx) => {
    const names = new Set<string>();
    n.channels.forEach((c, i) => {
      if (names.has(c.name)) ctx.addIssue({ code: 'custom', path: ['channels', i, 'name'], message: `duplicate channel "${c.name}"` });
      names.add(c.name);
    });
    n.routes.forEach((r, i) =>
      r.channels.forEach((c, j) => {
        if (!names.has(c)) ctx.addIssue({ code: 'custom', path: ['routes', i, 'channels', j], message: `unknown channel "${c}"` });
      }),
    );
  });
export type NotificationsConfig = z.output<typeof NotificationsSchema>;
export type NotificationsInput = z.input<typeof NotificationsSchema>;
