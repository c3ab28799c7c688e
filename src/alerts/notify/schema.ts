import { z } from 'zod';
import { parseDuration } from '../../model/duration.ts';
import { SEVERITIES } from '../types.ts';

const duration = z
  .union([z.string(), z.number()])
  .refine((v) => parseDuration(v) !== undefined, { message: 'expected a duration like 500ms, 10s, 1m' });

const common = {
  name: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only'),
  /** body/text template; see README for the placeholders */
  template: z.string().optional(),
  /** bounded queue: the oldest pending notification is dropped (and counted) when full */
  queue: z.number().int().min(1).max(1_000_000).default(1000),
  retries: z.number().int().min(0).max(20).default(5),
  /** first retry delay; doubles each attempt, capped at 5 minutes */
  backoff: duration.default('1s'),
  timeout: duration.default('10s'),
};

const url = z.string().url().refine((u) => /^https?:/.test(u), { message: 'expected an http(s) URL' });

export const WebhookChannelSchema = z.object({
  ...common,
  type: z.literal('webhook'),
  url,
  /** HMAC-SHA256 of the body in header X-Netpulse-Signature: sha256=<hex> */
  secret: z.string().min(1).optional(),
  headers: z.record(z.string(), z.string()).default({}),
});

export const ChatChannelSchema = z.object({
  ...common,
  type: z.enum(['slack', 'teams', 'mattermost']),
  url,
});

export const EmailChannelSchema = z.object({
  ...common,
  type: z.literal('email'),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(25),
  /** implicit TLS (465); otherwise STARTTLS when offered */
  secure: z.boolean().default(false),
  requireTLS: z.boolean().default(false),
  user: z.string().optional(),
  password: z.string().optional(),
  from: z.string().min(3),
  to: z.union([z.string().min(3), z.array(z.string().min(3)).min(1)]),
  subject: z.string().default('[netpulse] {SEVERITY} {state}: {message}'),
});

export const ChannelSchema = z.discriminatedUnion('type', [WebhookChannelSchema, ChatChannelSchema, EmailChannelSchema]);
export type ChannelConfig = z.output<typeof ChannelSchema>;
export type WebhookChannelConfig = z.output<typeof WebhookChannelSchema>;
export type ChatChannelConfig = z.output<typeof ChatChannelSchema>;
export type EmailChannelConfig = z.output<typeof EmailChannelSchema>;

export const RouteSchema = z.object({
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

export const NotificationsSchema = z
  .object({
    channels: z.array(ChannelSchema).default([]),
    routes: z.array(RouteSchema).default([]),
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
