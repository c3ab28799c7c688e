/**
 * A local HTTP server on 127.0.0.1 standing in for InfluxDB (or a proxy in front of it) in unit
 * tests. `useFakeHttpServer()` registers an afterEach that closes the server a test started.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';

export type FakeHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface FakeHttpServer {
  /** starts a server answering with `handler` on a free port; resolves with the port */
  serve(handler: FakeHandler): Promise<number>;
  /** closes the server (and its open connections) now; afterEach does it otherwise */
  close(): Promise<void>;
}

export function useFakeHttpServer(): FakeHttpServer {
  let server: Server | undefined;
  const close = async (): Promise<void> => {
    const closing = server;
    server = undefined;
    if (!closing) return;
    closing.closeAllConnections();
    await new Promise((resolve) => closing.close(resolve));
  };
  afterEach(close);
  return {
    close,
    async serve(handler) {
      await close();
      const started = createServer(handler);
      server = started;
      await new Promise<void>((resolve) => started.listen(0, '127.0.0.1', resolve));
      return (started.address() as AddressInfo).port;
    },
  };
}
