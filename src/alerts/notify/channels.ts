import nodemailer from 'nodemailer';
import { NetpulseError } from '../../errors/index.ts';
import { parseDuration } from '../../model/duration.ts';
import type { AlertChange } from '../types.ts';
import { escapeChat, escapeMattermost, escapeTeams } from './chat-escape.ts';
import type { Digest } from './digest.ts';
import { urlHostOnly } from './redact-url-secrets.ts';
import { DEFAULT_TEXT, digestSummary, digestWorst, render, renderDigestSubject, renderDigestText } from './render.ts';
import { parseRetryAfter } from './retry-after.ts';
import type { ChannelConfig, ChatChannelConfig, EmailChannelConfig, WebhookChannelConfig } from './schema.ts';
import { slackBody } from './slack.ts';
import { DeadlineExceeded, SmtpConnections, withDeadline } from './smtp-connection.ts';
import { signatureHeaders } from './webhook-signature.ts';

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
  /** `retryAfterMs`: how long the server asked to wait before the next attempt (Retry-After) */
  constructor(channel: string, reason: string, readonly retryable: boolean, cause?: unknown, readonly retryAfterMs?: number) {
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
  const retryAfterMs = res.status === 429 || res.status === 503 ? parseRetryAfter(res.headers.get('retry-after'), Date.now()) : undefined;
  const wait = retryAfterMs === undefined ? '' : ` (Retry-After: ${Math.ceil(retryAfterMs / 1000)} s)`;
  throw new ChannelError(name, `POST ${shown} answered HTTP ${res.status}${moved}${wait}`, retryable, undefined, retryAfterMs);
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
    // signed at each attempt: a retry carries a fresh timestamp
    if (this.cfg.secret) Object.assign(headers, signatureHeaders(this.cfg.secret, body, Date.now()));
    await post(this.name, this.cfg.url, body, headers, parseDuration(this.cfg.timeout)!);
  }
}

const TEAMS_COLOURS: Record<string, string> = { critical: 'D0021B', major: 'F5A623', minor: 'F8E71C', warning: 'F8E71C', info: '4A90E2' };

/** Slack, Mattermost and Teams incoming webhooks: a text message (Slack's shown from plain_text blocks, see slack.ts). */
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
        : this.textBody(text);
    await this.post(body);
  }

  async sendDigest(digest: Digest): Promise<void> {
    const worst = digestWorst(digest);
    const body =
      this.cfg.type === 'teams'
        // MessageCard text is Markdown: a blank line breaks the line
        ? { '@type': 'MessageCard', summary: digestSummary(digest), themeColor: worst ? TEAMS_COLOURS[worst] : '7ED321', text: renderDigestText(digest, '\n\n', this.escape) }
        : this.textBody(renderDigestText(digest, '\n', this.escape));
    await this.post(body);
  }

  private textBody(text: string): object {
    return this.cfg.type === 'slack' ? slackBody(text) : { text };
  }

  /** for the values in a message: trap text must not become markup, links or mentions */
  private get escape(): (s: string) => string {
    return this.cfg.type === 'mattermost' ? escapeMattermost : this.cfg.type === 'teams' ? escapeTeams : escapeChat;
  }

  private async post(body: object): Promise<void> {
    await post(this.name, this.cfg.url, JSON.stringify(body), {}, parseDuration(this.cfg.timeout)!);
  }
}

export class EmailChannel implements Channel {
  readonly type = 'email';
  readonly name: string;
  /** the connections of the delivery in flight, for close() */
  private inFlight: SmtpConnections | undefined;
  constructor(private readonly cfg: EmailChannelConfig) {
    this.name = cfg.name;
  }

  async send(change: AlertChange): Promise<void> {
    await this.mail(render(this.cfg.subject, change), render(this.cfg.template ?? DEFAULT_TEXT, change));
  }

  async sendDigest(digest: Digest): Promise<void> {
    await this.mail(renderDigestSubject(this.cfg.digestSubject, digest), renderDigestText(digest));
  }

  /** nodemailer logs in over plain text when the server offers no STARTTLS: then STARTTLS is required */
  private get tlsForLogin(): boolean {
    return !!this.cfg.user && !this.cfg.secure && !this.cfg.allowPlaintextAuth;
  }

  private async mail(subject: string, text: string): Promise<void> {
    const { host, port } = this.cfg;
    const timeout = parseDuration(this.cfg.timeout)!;
    const deadline = parseDuration(this.cfg.deadline)!;
    const connections = (this.inFlight = new SmtpConnections(host, port, timeout));
    const transport = nodemailer.createTransport({
      host,
      port,
      secure: this.cfg.secure,
      requireTLS: this.cfg.requireTLS || this.tlsForLogin,
      auth: this.cfg.user ? { user: this.cfg.user, pass: this.cfg.password ?? '' } : undefined,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
      getSocket: connections.getSocket,
    });
    try {
      await withDeadline(transport.sendMail({ from: this.cfg.from, to: this.cfg.to, subject, text }), deadline, () => connections.destroy(new Error('connection cut at the deadline')));
    } catch (err) {
      throw this.failure(err);
    } finally {
      connections.destroy();
      transport.close();
      if (this.inFlight === connections) this.inFlight = undefined;
    }
  }

  private failure(err: unknown): ChannelError {
    const where = `SMTP ${this.cfg.host}:${this.cfg.port}`;
    if (err instanceof DeadlineExceeded) return new ChannelError(this.name, `${where}: not delivered within the deadline of ${err.ms} ms (the server answers too slowly)`, true, err);
    const e = err as Error & { responseCode?: number; code?: string; command?: string };
    if (this.tlsForLogin && !this.cfg.requireTLS && e.code === 'ETLS' && e.command === 'STARTTLS' && e.responseCode) {
      return new ChannelError(
        this.name,
        `${where}: the server refused STARTTLS (${e.responseCode}); not sending the login of user ${this.cfg.user} over an unencrypted connection (use secure: true, or allowPlaintextAuth: true to send it anyway)`,
        false,
        err,
      );
    }
    // SMTP 5xx is a permanent refusal (bad recipient, auth); everything else may pass later
    return new ChannelError(this.name, `${where}: ${e.message}`, !(e.responseCode && e.responseCode >= 500), err);
  }

  close(): void {
    this.inFlight?.destroy(new Error('channel closed'));
  }
}

export function createChannel(cfg: ChannelConfig): Channel {
  switch (cfg.type) {
    case 'webhook': return new WebhookChannel(cfg);
    case 'email': return new EmailChannel(cfg);
    default: return new ChatChannel(cfg);
  }
}
