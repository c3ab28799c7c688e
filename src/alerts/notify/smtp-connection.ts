import { connect, type Socket } from 'node:net';

/** the delivery of one message ran past its deadline (its connection is cut) */
export class DeadlineExceeded extends Error {
  constructor(readonly ms: number) {
    super(`not done within the deadline of ${ms} ms`);
  }
}

/**
 * Opens the TCP connections of one SMTP delivery for nodemailer (its `getSocket` hook), so the
 * delivery's deadline can cut them: nodemailer itself only times out a server that stays silent,
 * not one that trickles a byte at a time. TLS (`secure`, STARTTLS) is still nodemailer's, on top.
 */
export class SmtpConnections {
  private readonly sockets = new Set<Socket>();
  private cut = false;

  constructor(private readonly host: string, private readonly port: number, private readonly connectTimeoutMs: number) {}

  readonly getSocket = (_options: unknown, callback: (err: Error | null, socketOptions?: { connection: Socket }) => void): void => {
    if (this.cut) return callback(new Error('connection closed'));
    const socket = connect({ host: this.host, port: this.port });
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    // nodemailer adds its own listener once connected; this one keeps a late error from being unhandled
    socket.on('error', () => undefined);
    const failed = (err: Error) => callback(err);
    socket.once('error', failed);
    socket.setTimeout(this.connectTimeoutMs, () => socket.destroy(new Error(`connect timed out after ${this.connectTimeoutMs} ms`)));
    socket.once('connect', () => {
      socket.off('error', failed);
      socket.setTimeout(0);
      callback(null, { connection: socket });
    });
  };

  /** closes every connection, open or opening, and refuses new ones; `reason` fails what still uses them */
  destroy(reason?: Error): void {
    this.cut = true;
    for (const s of this.sockets) s.destroy(reason);
  }
}

/** `work`, or DeadlineExceeded after `ms`, when `onExpire` runs (to stop the work) */
export async function withDeadline<T>(work: Promise<T>, ms: number, onExpire: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onExpire();
      reject(new DeadlineExceeded(ms));
    }, ms);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
