/**
 * The InfluxDB v1 HTTP API (/ping, /query, /write) over Node's fetch. InfluxDB 1.x serves
 * it natively, 2.x and 3.x through their v1 compatibility endpoints.
 */
import { NetpulseError, errorMessage } from '../../errors/index.ts';
import { tooMuch } from '../query-limits.ts';
import { answerProblem, excerpt, maskSecrets } from './answer-shape.ts';
import { jsonLines } from './json-lines.ts';

/**
 * The most netpulse reads of one InfluxDB answer: one line of a chunked answer (a chunk of
 * 10,000 rows is far smaller; a server that ignores chunked=true sends it all as one line), or
 * a whole plain answer. Past it the query fails with kind 'invalid' naming the limit.
 */
export const MAX_INFLUX_RESPONSE_BYTES = 64 * 1024 * 1024;

export interface InfluxConnection {
  url: string;
  database: string;
  username?: string;
  password?: string;
  retentionPolicy?: string;
  /** per request */
  timeoutMs: number;
  /** bytes of one answer (line) read at most; default MAX_INFLUX_RESPONSE_BYTES */
  maxResponseBytes?: number;
}

/**
 * How a write failed: `retry` (network error, 5xx, 401/403 auth, 404 database missing, a 2xx
 * other than 204: the data is fine, the server is not), `reject` (400 and other 4xx: the data
 * is bad and will never be accepted), `too-large` (413: split and resend).
 */
export type WriteOutcome =
  | { ok: true }
  | {
    ok: false; action: 'retry' | 'reject' | 'too-large'; status?: number; message: string; missingDatabase?: boolean;
    /** a 2xx other than 204: something that is not InfluxDB (a proxy, a login page) took the batch; message names the URL */
    notInflux?: boolean;
    /** the server's whole error message (secrets masked), when its answer was read whole: names the points a partial write dropped */
    error?: string;
  };

export class InfluxHttp {
  /** the server URL without credentials: safe to log and to put in error messages */
  readonly url: string;
  readonly maxResponseBytes: number;
  private readonly base: string;
  private readonly auth: string | undefined;
  /** never quoted from an answer body into an error */
  private readonly secrets: string[];

  constructor(readonly conn: InfluxConnection) {
    // credentials in the URL (http://user:pass@host) become the Basic header: fetch refuses such
    // URLs with an error that quotes them, and every log line names the URL
    const { url, username, password } = splitUrlCredentials(conn.url);
    this.base = this.url = url;
    const user = conn.username ?? username;
    this.auth = user !== undefined
      ? 'Basic ' + Buffer.from(`${user}:${conn.password ?? password ?? ''}`).toString('base64')
      : undefined;
    this.maxResponseBytes = conn.maxResponseBytes ?? MAX_INFLUX_RESPONSE_BYTES;
    this.secrets = [conn.password ?? password, this.auth?.slice('Basic '.length)].filter((x): x is string => !!x);
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
    await readStart(res, ERROR_BODY_BYTES).catch(() => undefined);
    if (res.status >= 300) {
      throw new NetpulseError({ scope: 'storage', target: `influxdb ${this.base}`, action: 'ping', reason: `HTTP ${res.status}`, kind: 'http' });
    }
    // InfluxDB 1.x, 2.x and 3.x all send it; a proxy or web server answering 2xx to everything does not
    const version = res.headers.get('x-influxdb-version');
    if (version === null) {
      throw new NetpulseError({
        scope: 'storage', target: `influxdb ${this.base}`, action: 'ping', kind: 'bad-response',
        // the reason alone is the writer's health detail: it names the URL too
        reason: `${this.base} answered /ping without X-Influxdb-Version: not an InfluxDB server?`,
      });
    }
    return version;
  }

  /**
   * Runs InfluxQL; returns `results`. A statement error throws with the server's message, an
   * answer that is not InfluxDB's JSON with kind 'bad-response', one over maxResponseBytes with kind 'invalid'.
   */
  async query(q: string, opts: { db?: string; write?: boolean } = {}): Promise<any[]> {
    const params = new URLSearchParams({ q, epoch: 'ms' });
    if (opts.db) params.set('db', opts.db);
    const action = `query ${q}`;
    const signal = AbortSignal.timeout(this.conn.timeoutMs);
    let res: Response;
    try {
      res = opts.write
        ? await fetch(`${this.base}/query`, { method: 'POST', body: params, headers: this.headers(), signal })
        : await fetch(`${this.base}/query?${params}`, { headers: this.headers(), signal });
    } catch (err) {
      throw this.networkError(action, err);
    }
    // both readers cancel the body when they stop early
    if (!res.ok) throw await this.errorAnswer(q, res);
    const text = await this.guarded(action, readAll(res, this.maxResponseBytes, () => this.tooLarge(q)));
    return this.answer(q, res, text);
  }

  /**
   * Runs one InfluxQL query with `chunked=true`: InfluxDB streams the answer as one JSON document
   * per line, at most `chunkSize` rows of a series each. Every line's `results` go to `onChunk` as
   * it arrives. When `onChunk` throws (a NetpulseError), reading stops and the connection is
   * closed: a huge answer is never held whole. A line over maxResponseBytes (a server that ignores
   * `chunked`) fails with kind 'invalid', naming `what` and how to `narrow` the query. Errors as in query().
   */
  async queryChunks(
    q: string,
    opts: { db?: string; chunkSize: number; what: string; narrow: string },
    onChunk: (results: any[]) => void,
  ): Promise<void> {
    const params = new URLSearchParams({ q, epoch: 'ms', chunked: 'true', chunk_size: String(opts.chunkSize) });
    if (opts.db) params.set('db', opts.db);
    const action = `query ${q}`;
    const stop = new AbortController();
    const signal = AbortSignal.any([stop.signal, AbortSignal.timeout(this.conn.timeoutMs)]);
    let res: Response;
    try {
      res = await fetch(`${this.base}/query?${params}`, { headers: this.headers(), signal });
    } catch (err) {
      throw this.networkError(action, err);
    }
    try {
      if (!res.ok) throw await this.errorAnswer(q, res);
      let lines = 0;
      if (res.body) {
        // Node's web streams are async iterable (the DOM typings do not say so); leaving the loop cancels the body
        const body = this.guardedStream(action, res.body as unknown as AsyncIterable<Uint8Array>);
        for await (const line of jsonLines(body, this.maxResponseBytes, () => this.tooLarge(opts.what, opts.narrow))) {
          lines++;
          onChunk(this.answer(q, res, line));
        }
      }
      if (lines === 0) throw this.badResponse(action, 'empty body', '');
    } finally {
      // a no-op once the body has been read to its end
      stop.abort();
    }
  }

  /** one JSON answer (a whole one, or a line of a chunked one) → its `results`, or the error it reports or is */
  private answer(q: string, res: Response, text: string): any[] {
    let doc: any;
    try {
      doc = JSON.parse(text);
    } catch {
      throw this.badResponse(`query ${q}`, text.trim() ? 'invalid JSON' : 'empty body', text);
    }
    const stmtError = statementError(doc);
    if (stmtError) throw this.queryError(q, res, stmtError);
    const problem = answerProblem(doc);
    if (problem) throw this.badResponse(`query ${q}`, problem, text);
    return doc.results;
  }

  /** 2xx, but not InfluxDB's JSON: something else answers (a proxy, a web server) or the answer was cut */
  private badResponse(action: string, problem: string, body: string): NetpulseError {
    return new NetpulseError({
      scope: 'storage', target: `influxdb ${this.base}`, action, kind: 'bad-response',
      reason: `bad response, not InfluxDB's JSON answer: ${problem}${body ? `; body starts ${excerpt(body, this.secrets)}` : ''}`,
    });
  }

  private tooLarge(what: string, narrow?: string): NetpulseError {
    return tooMuch(`influxdb ${this.base}`, `${what}: response over ${formatBytes(this.maxResponseBytes)} (limit)${narrow ? `; ${narrow}` : ''}`);
  }

  /** a failure while reading the body is a network error; anything else (our own errors) passes */
  private async guarded<T>(action: string, reading: Promise<T>): Promise<T> {
    try {
      return await reading;
    } catch (err) {
      throw err instanceof NetpulseError ? err : this.networkError(action, err);
    }
  }

  private async *guardedStream(action: string, body: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    try {
      yield* body;
    } catch (err) {
      throw this.networkError(action, err);
    }
  }

  /** a non-2xx answer: its message from the start of the body (a proxy's page may echo the credentials) */
  private async errorAnswer(q: string, res: Response): Promise<NetpulseError> {
    const { text } = await this.guarded(`query ${q}`, readStart(res, ERROR_BODY_BYTES));
    return this.queryError(q, res, errorMessageOf(maskSecrets(text, this.secrets)));
  }

  private queryError(q: string, res: Response, stmtError: string | undefined): NetpulseError {
    return new NetpulseError({
      scope: 'storage', target: `influxdb ${this.base}`, action: `query ${q}`,
      reason: `HTTP ${res.status}: ${stmtError === undefined ? res.statusText : cutMessage(maskSecrets(stmtError, this.secrets))}`,
      kind: res.status >= 500 ? 'server' : 'query',
    });
  }

  /** Sends one gzip'd line-protocol batch (timestamps in ms). Never throws. */
  async write(gzBody: Buffer): Promise<WriteOutcome> {
    const params = new URLSearchParams({ db: this.conn.database, precision: 'ms' });
    if (this.conn.retentionPolicy) params.set('rp', this.conn.retentionPolicy);
    let res: Response;
    let body: BodyStart;
    try {
      res = await fetch(`${this.base}/write?${params}`, {
        method: 'POST',
        body: gzBody as unknown as BodyInit,
        headers: this.headers({ 'content-encoding': 'gzip', 'content-type': 'text/plain; charset=utf-8' }),
        signal: AbortSignal.timeout(this.conn.timeoutMs),
      });
      body = await readStart(res, ERROR_BODY_BYTES);
    } catch (err) {
      return { ok: false, action: 'retry', message: this.networkError('write', err).reason };
    }
    // InfluxDB 1.x, 2.x (v1 compatibility) and 3.x answer a stored write with 204, never another 2xx
    if (res.status === 204) return { ok: true };
    if (res.status >= 200 && res.status < 300) return this.notInfluxWrite(res);
    const { text, cut } = body;
    let message = text.trim();
    try {
      message = statementError(JSON.parse(text)) ?? message;
    } catch { /* plain text body, or JSON cut at the read limit */ }
    message = maskSecrets(message, this.secrets);
    const error = cut ? undefined : message;
    // a proxy's HTML error page would otherwise be logged (and quarantined) whole, per batch
    message = cut ? `${message.slice(0, MESSAGE_CHARS)}… (over ${ERROR_BODY_BYTES / 1024} KiB, not read further)` : cutMessage(message);
    message = `HTTP ${res.status}: ${message || res.statusText}`;
    const status = res.status;
    if (status >= 500 || status === 401 || status === 403 || status === 429 || status === 408) {
      return { ok: false, action: 'retry', status, message };
    }
    if (status === 404) return { ok: false, action: 'retry', status, message, missingDatabase: /database not found/i.test(message) };
    if (status === 413) return { ok: false, action: 'too-large', status, message };
    return { ok: false, action: 'reject', status, message, error };
  }

  /** a 2xx but not InfluxDB's 204: a proxy or a misrouted URL answered, the points were not stored */
  private notInfluxWrite(res: Response): WriteOutcome {
    const type = res.headers.get('content-type');
    const seen = type ? `content-type ${JSON.stringify(maskSecrets(type, this.secrets).slice(0, 100))}` : 'no content-type';
    const message = `HTTP ${res.status} (${seen}) from ${this.base}/write: expected 204 from InfluxDB; a proxy?`;
    return { ok: false, action: 'retry', status: res.status, message, notInflux: true };
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

interface BodyStart {
  /** at most maxBytes of the body, as UTF-8 */
  text: string;
  /** the body went on past maxBytes: the rest was not read, the connection closed */
  cut: boolean;
}

/** the body's first `maxBytes`; a longer (or endless) body is cancelled there */
async function readStart(res: Response, maxBytes: number): Promise<BodyStart> {
  if (!res.body) return { text: '', cut: false };
  const pieces: Buffer[] = [];
  let bytes = 0;
  // leaving the loop cancels the body
  for await (const piece of res.body as unknown as AsyncIterable<Uint8Array>) {
    pieces.push(Buffer.from(piece));
    bytes += piece.byteLength;
    if (bytes > maxBytes) break;
  }
  return { text: Buffer.concat(pieces).subarray(0, maxBytes).toString('utf8'), cut: bytes > maxBytes };
}

/** characters of a server's error message kept in ours (a JSON `error` may be as long as the body read) */
const MESSAGE_CHARS = 1000;

const cutMessage = (message: string): string =>
  (message.length > MESSAGE_CHARS ? `${message.slice(0, MESSAGE_CHARS)}… (${message.length} characters)` : message);

/** an error answer's message: InfluxDB's JSON `error`, else the start of the body */
function errorMessageOf(text: string): string | undefined {
  try {
    return statementError(JSON.parse(text));
  } catch {
    return text.slice(0, 300) || undefined;
  }
}

/** the whole body, failing with `tooLarge()` (and cancelling the body) as soon as it passes `maxBytes` */
async function readAll(res: Response, maxBytes: number, tooLarge: () => Error): Promise<string> {
  const { text, cut } = await readStart(res, maxBytes);
  if (cut) throw tooLarge();
  return text;
}

const MiB = 1024 * 1024;
const formatBytes = (n: number): string => (n % MiB === 0 ? `${n / MiB} MiB` : `${n} bytes`);

/** InfluxDB's `error`, top-level or of a statement; as text whatever JSON a foreign server put there */
function statementError(body: any): string | undefined {
  const error = body?.error ?? (Array.isArray(body?.results) ? body.results.find((r: any) => r?.error)?.error : undefined);
  if (error === undefined || error === null) return undefined;
  return typeof error === 'string' ? error : JSON.stringify(error);
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
