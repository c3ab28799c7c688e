/**
 * A `dgram`-compatible module for net-snmp's `dgramModule` option: every net-snmp
 * session gets a light virtual socket, and all of them share a small pool of real UDP
 * sockets. Replies are routed back by the agent's address and port, which is sound
 * because the client keeps at most one operation in flight per agent (see client.ts).
 * Thousands of targets therefore need `maxSockets` sockets, not thousands.
 */
import dgram from 'node:dgram';
import { EventEmitter } from 'node:events';

type Family = 'udp4' | 'udp6';
type SendCallback = (err: Error | null, bytes?: number) => void;

const ignoreSendResult: SendCallback = () => {};

/** a datagram waiting for the end of the turn */
interface QueuedSend {
  v: VirtualSocket;
  buf: Buffer;
  port: number;
  address: string;
  done: SendCallback;
}

const RECV_BUFFER_BYTES = 4 * 1024 * 1024;

/**
 * Sends only ever go to IP literals (client.ts resolves names first), so dgram's per-send
 * dns.lookup, and the tick it defers every send by, are skipped: the datagram leaves in the flush.
 */
function literalLookup(address: string, family: number | object, cb: (err: Error | null, address: string, family: number) => void): void {
  cb(null, address, typeof family === 'number' ? family : address.includes(':') ? 6 : 4);
}

/** A request in flight on the wire codec (fast-bulk.ts): sees replies before net-snmp does. */
export interface ReplyInterceptor {
  /** true when it consumed the datagram */
  onReply(msg: Buffer, rinfo: dgram.RemoteInfo): boolean;
}

export class VirtualSocket extends EventEmitter {
  #closed = false;
  /** the agents this socket has sent to: port → addresses */
  readonly routes = new Map<number, Set<string>>();
  #lastAddress = '';
  #lastPort = -1;
  intercept?: ReplyInterceptor;
  constructor(
    private readonly mux: SocketMux,
    readonly real: dgram.Socket,
  ) {
    super();
  }

  #route(address: string, port: number): void {
    // a walk sends to one agent again and again: register the route once, re-check it cheaply
    if (address !== this.#lastAddress || port !== this.#lastPort || !this.mux.routesTo(address, port, this)) {
      this.mux.route(address, port, this);
      this.#lastAddress = address;
      this.#lastPort = port;
    }
  }

  /** net-snmp's sends */
  send(buf: Buffer, offset: number, length: number, port: number, address: string, cb?: SendCallback): void {
    if (this.#closed) {
      cb?.(new Error('socket closed'));
      return;
    }
    this.#route(address, port);
    const datagram = offset === 0 && length === buf.length ? buf : buf.subarray(offset, offset + length);
    this.mux.enqueue(this, datagram, port, address, cb ?? ignoreSendResult);
  }

  /** the wire codec's sends: `done` belongs to the request that sends, so a failure reaches it (not a later one) */
  sendRequest(buf: Buffer, port: number, address: string, done: SendCallback): void {
    if (this.#closed) {
      process.nextTick(done, new Error('socket closed'));
      return;
    }
    this.#route(address, port);
    this.mux.enqueue(this, buf, port, address, done);
  }

  bind(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
  address(): ReturnType<dgram.Socket['address']> {
    return this.real.address();
  }

  close(cb?: () => void): void {
    if (this.#closed) return;
    this.#closed = true;
    this.mux.release(this);
    process.nextTick(() => {
      this.emit('close');
      cb?.();
    });
  }
}

export interface SocketMuxStats {
  /** real UDP sockets open */
  sockets: number;
  /** net-snmp sessions currently attached */
  virtualSockets: number;
  /** datagrams that arrived for no waiting session (late replies, strays) */
  strayDatagrams: number;
}

export class SocketMux {
  readonly #maxSockets: number;
  readonly #pools: Record<Family, dgram.Socket[]> = { udp4: [], udp6: [] };
  readonly #next: Record<Family, number> = { udp4: 0, udp6: 0 };
  /** agent port → agent address → the session's socket (no string building per datagram) */
  readonly #routes = new Map<number, Map<string, VirtualSocket>>();
  #virtual = 0;
  #stray = 0;
  #closed = false;

  constructor(maxSockets: number) {
    this.#maxSockets = Math.max(1, Math.floor(maxSockets));
  }

  /** The object handed to net-snmp as `dgramModule`. */
  readonly dgramModule = {
    createSocket: (type: string): VirtualSocket => this.#createVirtual(type === 'udp6' ? 'udp6' : 'udp4'),
  };

  #createVirtual(family: Family): VirtualSocket {
    if (this.#closed) throw new Error('SNMP client is closed');
    const pool = this.#pools[family];
    let real: dgram.Socket;
    if (pool.length < this.#maxSockets) {
      real = this.#openReal(family);
      pool.push(real);
    } else {
      real = pool[this.#next[family]++ % pool.length];
    }
    this.#virtual++;
    return new VirtualSocket(this, real);
  }

  #openReal(family: Family): dgram.Socket {
    const sock = dgram.createSocket({ type: family, lookup: literalLookup as never });
    sock.on('message', (msg, rinfo) => {
      const v = this.#routes.get(rinfo.port)?.get(rinfo.address);
      if (!v) {
        this.#stray++;
        return;
      }
      try {
        if (v.intercept?.onReply(msg, rinfo)) return;
        v.emit('message', msg, rinfo);
      } catch (err) {
        // net-snmp throws from deep inside response handling on some malformed PDUs
        v.emit('fault', err);
      }
    });
    // Errors on an unconnected UDP socket are transient (e.g. ENOBUFS); requests time out on their own.
    sock.on('error', () => {});
    sock.bind(0, () => {
      try {
        sock.setRecvBufferSize(RECV_BUFFER_BYTES);
        sock.setSendBufferSize(RECV_BUFFER_BYTES);
      } catch {
        // the kernel caps at net.core.rmem_max; the default still works
      }
    });
    sock.unref();
    return sock;
  }

  #sends: QueuedSend[] = [];
  #sentThisTurn = false;
  readonly #newTurn = (): void => {
    this.#sentThisTurn = false;
  };

  /**
   * Sends wait for the end of this event-loop turn: every reply that is ready is read and
   * answered first, then all requests go out together. A send wakes the agent, and on a busy
   * machine the kernel then often runs the agent instead of us, leaving the other replies
   * unread until we are scheduled again.
   */
  enqueue(v: VirtualSocket, buf: Buffer, port: number, address: string, done: SendCallback): void {
    // the first send of a turn leaves at once (one agent walking: no added latency); the
    // rest of the turn's sends wait until every ready reply has been read
    if (!this.#sentThisTurn) {
      this.#sentThisTurn = true;
      setImmediate(this.#newTurn);
      v.real.send(buf, port, address, done);
      return;
    }
    if (this.#sends.push({ v, buf, port, address, done }) === 1) setImmediate(this.#flush);
  }

  readonly #flush = (): void => {
    const sends = this.#sends;
    this.#sends = [];
    for (const s of sends) {
      // the real socket may have closed since the send was queued (shutdown): drop it
      try {
        s.v.real.send(s.buf, s.port, s.address, s.done);
      } catch {
        /* ERR_SOCKET_DGRAM_NOT_RUNNING */
      }
    }
  };

  route(address: string, port: number, v: VirtualSocket): void {
    let mine = v.routes.get(port);
    if (!mine) v.routes.set(port, (mine = new Set()));
    mine.add(address);
    let byAddress = this.#routes.get(port);
    if (!byAddress) this.#routes.set(port, (byAddress = new Map()));
    byAddress.set(address, v);
  }

  routesTo(address: string, port: number, v: VirtualSocket): boolean {
    return this.#routes.get(port)?.get(address) === v;
  }

  release(v: VirtualSocket): void {
    this.#virtual--;
    for (const [port, addresses] of v.routes) {
      const byAddress = this.#routes.get(port);
      if (!byAddress) continue;
      for (const a of addresses) if (byAddress.get(a) === v) byAddress.delete(a);
      if (byAddress.size === 0) this.#routes.delete(port);
    }
  }

  stats(): SocketMuxStats {
    return { sockets: this.#pools.udp4.length + this.#pools.udp6.length, virtualSockets: this.#virtual, strayDatagrams: this.#stray };
  }

  close(): void {
    this.#closed = true;
    for (const fam of ['udp4', 'udp6'] as const) {
      for (const s of this.#pools[fam]) {
        try {
          s.close();
        } catch {
          // already closed
        }
      }
      this.#pools[fam] = [];
    }
    this.#routes.clear();
  }
}
