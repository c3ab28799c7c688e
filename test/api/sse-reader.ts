/** A raw SSE client over real HTTP (app.inject does not stream), shared by the SSE tests. */
import { request, type ClientRequest } from 'node:http';
import { afterEach } from 'vitest';
import type { ApiOptions } from '../../src/api/options.ts';
import { startApiServer, type ApiServer } from '../../src/api/server.ts';
import { createFakeServices, type FakeServices } from './fake-services.ts';
import { AUTH, TOKEN } from './helpers.ts';

export interface Frame { id?: string; event?: string; data?: any; retry?: string; comments: string[] }

/** A raw SSE reader: every frame, parsed per the spec's field rules (enough for what the server writes). */
export class SseReader {
  readonly frames: Frame[] = [];
  status = 0;
  closed = false;
  private buf = '';
  private waiters: (() => void)[] = [];
  private readonly req: ClientRequest;

  constructor(url: string, headers: Record<string, string> = {}) {
    this.req = request(url, { headers: { ...AUTH, ...headers } }, (res) => {
      this.status = res.statusCode ?? 0;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => this.feed(chunk));
      res.on('close', () => { this.closed = true; this.wake(); });
    });
    this.req.on('error', () => { this.closed = true; this.wake(); });
    this.req.end();
  }

  /** events that carry data (replayed, live or reset), in arrival order */
  get events(): Frame[] { return this.frames.filter((f) => f.data !== undefined); }
  /** the id the client would send back, as EventSource keeps it */
  get lastId(): string | undefined { return this.frames.map((f) => f.id).filter((id) => id !== undefined).at(-1); }

  async until(what: string, cond: () => boolean, ms = 10_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!cond()) {
      if (Date.now() > deadline) throw new Error(`SSE test client: timed out waiting for ${what}; got ${JSON.stringify(this.frames).slice(0, 2000)}`);
      await new Promise<void>((resolve) => { this.waiters.push(resolve); setTimeout(resolve, 50); });
    }
  }

  close(): void { this.req.destroy(); }

  private feed(chunk: string): void {
    this.buf += chunk;
    let i: number;
    while ((i = this.buf.indexOf('\n\n')) >= 0) {
      const frame: Frame = { comments: [] };
      for (const line of this.buf.slice(0, i).split('\n')) {
        if (line.startsWith(':')) { frame.comments.push(line.slice(1).trim()); continue; }
        const [, field, value] = /^([a-z]+): ?(.*)$/.exec(line) ?? [];
        if (field === 'data') frame.data = JSON.parse(value);
        else if (field === 'id' || field === 'event' || field === 'retry') frame[field] = value;
      }
      this.frames.push(frame);
      this.buf = this.buf.slice(i + 2);
    }
    this.wake();
  }

  private wake(): void { for (const w of this.waiters.splice(0)) w(); }
}

/** the connected SSE clients as the server's /metrics counts them */
export async function sseClients(server: ApiServer): Promise<number> {
  const res = await fetch(`${server.url}/metrics`, { headers: AUTH });
  return Number(/^netpulse_api_sse_clients (\d+)$/m.exec(await res.text())![1]);
}

/**
 * The API of an SSE test on 127.0.0.1:0 over fake services: `start` (re)starts it and answers the
 * events URL, `open`/`connected` make readers; readers and server are closed after each test.
 */
export function useSseServer() {
  const readers: SseReader[] = [];
  const t = {
    server: undefined as ApiServer | undefined,
    svc: undefined as unknown as FakeServices,
    async start(over: Partial<ApiOptions> = {}): Promise<string> {
      t.svc = createFakeServices();
      t.server = await startApiServer(t.svc, { listen: '127.0.0.1:0', tokens: [TOKEN], openReads: false, cors: false, heartbeatMs: 60_000, ...over });
      return `${t.server.url}/api/v1/events`;
    },
    open(url: string, headers?: Record<string, string>): SseReader {
      const r = new SseReader(url, headers);
      readers.push(r);
      return r;
    },
    /** a reader once the server's `connected` comment arrived */
    async connected(url: string, headers?: Record<string, string>): Promise<SseReader> {
      const r = t.open(url, headers);
      await r.until('the connected comment', () => r.frames.some((f) => f.comments.includes('connected')));
      return r;
    },
  };
  afterEach(async () => {
    for (const r of readers.splice(0)) r.close();
    await t.server?.close();
    t.server = undefined;
  });
  return t;
}
