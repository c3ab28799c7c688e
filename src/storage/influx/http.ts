/**
 * The InfluxDB v1 HTTP API (/ping, /query, /write) over Node's fetch. InfluxDB 1.x serves
 * it natively, 2.x and 3.x through their v1 compatibility endpoints.
 */
import { NetpulseError, errorMessage } from '../../errors/index.ts';
import { jsonLines } from './json-lines.ts';

export interface InfluxConnection {
  url: string;
  database: string;
  username?: string;
  password?: string;
  retentionPolicy?: string;
  /** per request */
  timeoutMs: number;
}

/**
 * How a write failed: `retry` (network error, 5xx, 401/403 auth, 404 database missing:
 * the data is fine, the server is not), `reject` (400 and other 4xx: the data is bad and
 * will never be accepted), `too-large` (413: split and resend).
 */
export type WriteOutcome =
  | { ok: true }
  | { ok: false; action: 'retry' | 'reject' | 'too-large'; status?: number; message: string; missingDatabase?: boolean };

export class InfluxHttp {
  /** the server URL without credentials: safe to log and to put in error messages */
  readonly url: string;
  private readonly base: string;
  private readonly auth: string | undefined;

  constructor(readonly conn: InfluxConnection) {
    // credentials in the URL (http://user:pass@host) become the Basic header: fetch refuses such
    // URLs with an error that quotes them, and every log line names the URL
    const { url, username, password } = splitUrlCredentials(conn.url);
    this.base = this.url = url;
    const user = conn.username ?? username;
    this.auth = user !== undefined
      ? 'Basic ' + Buffer.from(`${user}:${conn.password ?? password ?? ''}`).toString('base64')
      : undefined;
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return this.auth ? { ...extra, authorization: this.auth } : extra;
  }

  /** Resolves with the server version (X-Influxdb-Version), throws when unreachable. */
  async ping(): Promise<string> {
    let res: Response;
    try {
      res = await fetch(`${this.base}/ping`, { headers: this.headers(), signal: AbortSignal.timeout(this.conn.timeoutMs) });
    } catch (err) {
      throw this.networkError('ping', err);
    }
    await res.arrayBuffer().catch(() => undefined);
    if (res.status >= 300) {
      throw new NetpulseError({ scope: 'storage', target: `influxdb ${this.base}`, action: 'ping', reason: `HTTP ${res.status}`, kind: 'http' });
    }
    return res.headers.get('x-influxdb-version') ?? 'unknown';
  }

  /** Runs InfluxQL; returns `results`. A statement error throws with the server's message. */
  async query(q: string, opts: { db?: string; write?: boolean } = {}): Promise<any[]> {
    const params = new URLSearchParams({ q, epoch: 'ms' });
    if (opts.db) params.set('db', opts.db);
    let res: Response;
    try {
      res = opts.write
        ? await fetch(`${this.base}/query`, {
          method: 'POST', body: params, headers: this.headers(), signal: AbortSignal.timeout(this.conn.timeoutMs),
        })
        : await fetch(`${this.base}/query?${params}`, { headers: this.headers(), signal: AbortSignal.timeout(this.conn.timeoutMs) });
    } catch (err) {
      throw this.networkError(`query ${q}`, err);
    }
    const text = await res.text();
    let body: any;
    try {
      body = JSON.parse(text);
    } catch {
      body = { error: text.slice(0, 300) };
    }
    const stmtError = statementError(body);
    if (!res.ok || stmtError) throw this.queryError(q, res, stmtError);
    return body.results ?? [];
  }

  /**
   * Runs one InfluxQL query with `chunked=true`: InfluxDB streams the answer as one JSON document
   * per line, at most `chunkSize` rows of a series each. Every line's `results` go to `onChunk` as
   * it arrives. When `onChunk` throws (a NetpulseError), reading stops and the connection is
   * closed: a huge answer is never held whole. A line over `maxLineBytes` (a server that ignores
   * `chunked`) fails with `tooLarge()`. Statement errors throw as in query().
   */
  async queryChunks(
    q: string,
    opts: { db?: string; chunkSize: number; maxLineBytes: number; tooLarge: () => NetpulseError },
    onChunk: (results: any[]) => void,
  ): Promise<void> {
    const params = new URLSearchParams({ q, epoch: 'ms', chunked: 'true', chunk_size: String(opts.chunkSize) });
    if (opts.db) params.set('db', opts.db);
    const stop = new AbortController();
    const signal = AbortSignal.any([stop.signal, AbortSignal.timeout(this.conn.timeoutMs)]);
    let complete = false;
    try {
      const res = await fetch(`${this.base}/query?${params}`, { headers: this.headers(), signal });
      if (!res.ok || !res.body) {
        const text = await errorText(res);
        let message: string | undefined;
        try {
          message = statementError(JSON.parse(text));
        } catch {
          message = text.slice(0, 300) || undefined;
        }
        throw this.queryError(q, res, message);
      }
      // Node's web streams are async iterable (the DOM typings do not say so); leaving the loop cancels the body
      const body = res.body as unknown as AsyncIterable<Uint8Array>;
      for await (const line of jsonLines(body, opts.maxLineBytes, opts.tooLarge)) {
        let doc: any;
        try {
          doc = JSON.parse(line);
        } catch {
          throw this.queryError(q, res, `not a JSON answer: ${line.slice(0, 300)}`);
        }
        const stmtError = statementError(doc);
        if (stmtError) throw this.queryError(q, res, stmtError);
        onChunk(doc?.results ?? []);
      }
      complete = true;
    } catch (err) {
      if (err instanceof NetpulseError) throw err;
      throw this.networkError(`query ${q}`, err);
    } finally {
      if (!complete) stop.abort();
    }
  }

  private queryError(q: string, res: Response, stmtError: string | undefined): NetpulseError {
    return new NetpulseError({
      scope: 'storage', target: `influxdb ${this.base}`, action: `query ${q}`,
      reason: `HTTP ${res.status}: ${stmtError ?? res.statusText}`, kind: res.status >= 500 ? 'server' : 'query',
    });
  }

  /** Sends one gzip'd line-protocol batch (timestamps in ms). Never throws. */
  async write(gzBody: Buffer): Promise<WriteOutcome> {
    const params = new URLSearchParams({ db: this.conn.database, precision: 'ms' });
    if (this.conn.retentionPolicy) params.set('rp', this.conn.retentionPolicy);
    let res: Response;
    let text: string;
    try {
      res = await fetch(`${this.base}/write?${params}`, {
        method: 'POST',
        body: gzBody as unknown as BodyInit,
        headers: this.headers({ 'content-encoding': 'gzip', 'content-type': 'text/plain; charset=utf-8' }),
        signal: AbortSignal.timeout(this.conn.timeoutMs),
      });
      text = await res.text();
    } catch (err) {
      return { ok: false, action: 'retry', message: this.networkError('write', err).reason };
    }
    if (res.status >= 200 && res.status < 300) return { ok: true };
    let message = text.trim();
    try {
      message = JSON.parse(text).error ?? message;
    } catch { /* plain text body */ }
    // a proxy's HTML error page would otherwise be logged (and quarantined) whole, per batch
    if (message.length > 1000) message = `${message.slice(0, 1000)}… (${message.length} characters)`;
    message = `HTTP ${res.status}: ${message || res.statusText}`;
    const status = res.status;
    if (status >= 500 || status === 401 || status === 403 || status === 429 || status === 408) {
      return { ok: false, action: 'retry', status, message };
    }
    if (status === 404) return { ok: false, action: 'retry', status, message, missingDatabase: /database not found/i.test(message) };
    if (status === 413) return { ok: false, action: 'too-large', status, message };
    return { ok: false, action: 'reject', status, message };
  }

  private networkError(action: string, err: unknown): NetpulseError {
    const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
    const reason = (err as Error)?.name === 'TimeoutError'
      ? `no answer within ${this.conn.timeoutMs} ms`
      : cause?.code ?? cause?.message ?? errorMessage(err);
    return new NetpulseError({ scope: 'storage', target: `influxdb ${this.base}`, action, reason, kind: 'network', cause: err });
  }
}

/** what an error answer's message needs: its start, never the whole body (a proxy may stream one without end) */
const ERROR_BODY_BYTES = 64 * 1024;

async function errorText(res: Response): Promise<string> {
  if (!res.body) return '';
  const pieces: Buffer[] = [];
  let bytes = 0;
  // leaving the loop cancels the body
  for await (const piece of res.body as unknown as AsyncIterable<Uint8Array>) {
    pieces.push(Buffer.from(piece));
    bytes += piece.byteLength;
    if (bytes >= ERROR_BODY_BYTES) break;
  }
  return Buffer.concat(pieces).subarray(0, ERROR_BODY_BYTES).toString('utf8');
}

function statementError(body: any): string | undefined {
  return body?.error ?? body?.results?.find((r: any) => r?.error)?.error;
}

/** `http://u:p@host:8086/` → url `http://host:8086`, username `u`, password `p` (decoded) */
export function splitUrlCredentials(raw: string): { url: string; username?: string; password?: string } {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    return { url: raw.replace(/\/+$/, '') };
  }
  const username = parsed.username ? decodeURIComponent(parsed.username) : undefined;
  const password = parsed.password ? decodeURIComponent(parsed.password) : undefined;
  parsed.username = '';
  parsed.password = '';
  return { url: parsed.toString().replace(/\/+$/, ''), username, password };
}

export function quoteIdent(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function quoteString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
