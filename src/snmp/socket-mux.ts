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

const RECV_BUFFER_BYTES = 4 * 1024 * 1024;

function routeKey(address: string, port: number): string {
  return `${address}|${port}`;
}

export class VirtualSocket extends EventEmitter {
  #closed = false;
  /** the agents this socket has sent to */
  readonly routes = new Set<string>();
  /** sees replies before net-snmp does; returns true when it consumed the datagram (fast-bulk.ts) */
  intercept?: (msg: Buffer, rinfo: dgram.RemoteInfo) => boolean;
  constructor(
    private readonly mux: SocketMux,
    private readonly real: dgram.Socket,
  ) {
    super();
  }

  send(buf: Buffer, offset: number, length: number, port: number, address: string, cb?: SendCallback): void {
    if (this.#closed) {
      cb?.(new Error('socket closed'));
      return;
    }
    this.mux.route(address, port, this);
    this.mux.enqueue(() => this.real.send(buf, offset, length, port, address, (err, bytes) => cb?.(err ?? null, bytes)));
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
  readonly #routes = new Map<string, VirtualSocket>();
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
    const sock = dgram.createSocket({ type: family });
    sock.on('message', (msg, rinfo) => {
      const v = this.#routes.get(routeKey(rinfo.address, rinfo.port));
      if (!v) {
        this.#stray++;
        return;
      }
      try {
        if (v.intercept?.(msg, rinfo)) return;
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

  #sends: Array<() => void> = [];

  /**
   * Sends wait for the end of this event-loop turn: every reply that is ready is read and
   * answered first, then all requests go out together. A send wakes the agent, and on a busy
   * machine the kernel then often runs the agent instead of us, leaving the other replies
   * unread until we are scheduled again.
   */
  enqueue(send: () => void): void {
    if (this.#sends.push(send) === 1) setImmediate(this.#flush);
  }

  readonly #flush = (): void => {
    const sends = this.#sends;
    this.#sends = [];
    for (const send of sends) send();
  };

  route(address: string, port: number, v: VirtualSocket): void {
    const key = routeKey(address, port);
    v.routes.add(key);
    this.#routes.set(key, v);
  }

  release(v: VirtualSocket): void {
    this.#virtual--;
    for (const k of v.routes) if (this.#routes.get(k) === v) this.#routes.delete(k);
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
