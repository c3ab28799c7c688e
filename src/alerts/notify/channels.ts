import { createHmac } from 'node:crypto';
import nodemailer from 'nodemailer';
import { NetpulseError } from '../../errors/index.ts';
import { parseDuration } from '../../model/duration.ts';
import type { AlertChange } from '../types.ts';
import type { Digest } from './digest.ts';
import { urlHostOnly } from './redact-url-secrets.ts';
import { DEFAULT_TEXT, digestSummary, digestWorst, escapeChat, escapeMattermost, render, renderDigestSubject, renderDigestText } from './render.ts';
import type { ChannelConfig, ChatChannelConfig, EmailChannelConfig, WebhookChannelConfig } from './schema.ts';

/** A notification channel. send() rejects on failure; `retryable` false means do not retry. */
export interface Channel {
  readonly name: string;
  readonly type: string;
  send(change: AlertChange): Promise<void>;
  /** one message standing for the changes held back over the channel's limit */
  sendDigest(digest: Digest): Promise<void>;
  close?(): void;
}

export class ChannelError extends NetpulseError {
  constructor(channel: string, reason: string, readonly retryable: boolean, cause?: unknown) {
    super({ scope: 'notify', target: `channel ${channel}`, reason, kind: retryable ? 'retryable' : 'permanent', cause });
  }
}

/** `fetch failed: connect ECONNREFUSED 127.0.0.1:443`: fetch's own message says little without its cause */
function fetchFailure(err: Error): string {
  const cause = err.cause as { message?: string; code?: string } | undefined;
  const detail = cause?.message || cause?.code;
  return detail && !err.message.includes(detail) ? `${err.message}: ${detail}` : err.message;
}

async function post(name: string, url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<void> {
  // the path of a webhook URL usually carries its token: reasons name scheme, host and port only
  const shown = urlHostOnly(url);
  let res: Response;
  try {
    // no redirects: following one would resend the body, signature and token headers to wherever it points
    res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers }, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const cause = fetchFailure(err as Error).split(url).join(shown);
    const reason = (err as Error).name === 'TimeoutError' ? `POST ${shown} timed out after ${timeoutMs} ms` : `POST ${shown} failed: ${cause}`;
    throw new ChannelError(name, reason, true, err);
  }
  // the answer's body is not needed; reading an endless or huge one would fill memory until the timeout
  await res.body?.cancel().catch(() => undefined);
  if (res.ok) return;
  // 4xx other than 408/429 will not get better by retrying
  const retryable = res.status >= 500 || res.status === 408 || res.status === 429;
  const moved = res.status >= 300 && res.status < 400 ? ' (a redirect, not followed: configure the URL it points to)' : '';
  throw new ChannelError(name, `POST ${shown} answered HTTP ${res.status}${moved}`, retryable);
}

export class WebhookChannel implements Channel {
  readonly type = 'webhook';
  readonly name: string;
  constructor(private readonly cfg: WebhookChannelConfig) {
    this.name = cfg.name;
  }

  async send(change: AlertChange): Promise<void> {
    const payload: Record<string, unknown> = { event: change.kind, alert: change.alert };
    if (this.cfg.template) payload.text = render(this.cfg.template, change);
    await this.post(JSON.stringify(payload));
  }

  async sendDigest(digest: Digest): Promise<void> {
    await this.post(JSON.stringify({ event: 'digest', digest, text: renderDigestText(digest) }));
  }

  private async post(body: string): Promise<void> {
    const headers: Record<string, string> = { ...this.cfg.headers, 'user-agent': 'netpulse' };
    if (this.cfg.secret) headers['x-netpulse-signature'] = 'sha256=' + createHmac('sha256', this.cfg.secret).update(body).digest('hex');
    await post(this.name, this.cfg.url, body, headers, parseDuration(this.cfg.timeout)!);
  }
}

const TEAMS_COLOURS: Record<string, string> = { critical: 'D0021B', major: 'F5A623', minor: 'F8E71C', warning: 'F8E71C', info: '4A90E2' };

/** Slack, Mattermost and Teams incoming webhooks: a text message. */
export class ChatChannel implements Channel {
  readonly name: string;
  readonly type: string;
  constructor(private readonly cfg: ChatChannelConfig) {
    this.name = cfg.name;
    this.type = cfg.type;
  }

  async send(change: AlertChange): Promise<void> {
    const text = render(this.cfg.template ?? DEFAULT_TEXT, change, this.escape);
    const body =
      this.cfg.type === 'teams'
        ? { '@type': 'MessageCard', summary: change.alert.message, themeColor: change.kind === 'cleared' ? '7ED321' : TEAMS_COLOURS[change.alert.severity], text }
        : { text };
    await this.post(body);
  }

  async sendDigest(digest: Digest): Promise<void> {
    const worst = digestWorst(digest);
    const body =
      this.cfg.type === 'teams'
        // MessageCard text is Markdown: a blank line breaks the line
        ? { '@type': 'MessageCard', summary: digestSummary(digest), themeColor: worst ? TEAMS_COLOURS[worst] : '7ED321', text: this.escape(renderDigestText(digest, '\n\n')) }
        : { text: this.escape(renderDigestText(digest)) };
    await this.post(body);
  }

  /** for the values in a message: trap text must not become markup or mentions */
  private get escape(): (s: string) => string {
    return this.cfg.type === 'mattermost' ? escapeMattermost : escapeChat;
  }

  private async post(body: object): Promise<void> {
    await post(this.name, this.cfg.url, JSON.stringify(body), {}, parseDuration(this.cfg.timeout)!);
  }
}

export class EmailChannel implements Channel {
  readonly type = 'email';
  readonly name: string;
  private readonly transport: nodemailer.Transporter;
  constructor(private readonly cfg: EmailChannelConfig) {
    this.name = cfg.name;
    const timeout = parseDuration(cfg.timeout)!;
    this.transport = nodemailer.createTransport({
      host: cfg.host,
      port: cfg.port,
      secure: cfg.secure,
      requireTLS: cfg.requireTLS,
      auth: cfg.user ? { user: cfg.user, pass: cfg.password ?? '' } : undefined,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
    });
  }

  async send(change: AlertChange): Promise<void> {
    await this.mail(render(this.cfg.subject, change), render(this.cfg.template ?? DEFAULT_TEXT, change));
  }

  async sendDigest(digest: Digest): Promise<void> {
    await this.mail(renderDigestSubject(this.cfg.digestSubject, digest), renderDigestText(digest));
  }

  private async mail(subject: string, text: string): Promise<void> {
    try {
      await this.transport.sendMail({ from: this.cfg.from, to: this.cfg.to, subject, text });
    } catch (err) {
      const code = (err as { responseCode?: number }).responseCode;
      // SMTP 5xx is a permanent refusal (bad recipient, auth); everything else may pass later
      throw new ChannelError(this.name, `SMTP ${this.cfg.host}:${this.cfg.port}: ${(err as Error).message}`, !(code && code >= 500), err);
    }
  }

  close(): void {
    this.transport.close();
  }
}

export function createChannel(cfg: ChannelConfig): Channel {
  switch (cfg.type) {
    case 'webhook': return new WebhookChannel(cfg);
    case 'email': return new EmailChannel(cfg);
    default: return new ChatChannel(cfg);
  }
}
