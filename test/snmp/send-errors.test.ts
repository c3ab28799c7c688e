/**
 * A failed send on the wire codec's path (fast-bulk.ts over socket-mux.ts) fails the request
 * that sent the datagram, not whichever request the session's socket is serving by then.
 */
import dgram from 'node:dgram';
import { afterAll, expect, it } from 'vitest';
import { exchange } from '../../src/snmp/fast-bulk.ts';
import { SocketMux } from '../../src/snmp/socket-mux.ts';

const mux = new SocketMux(1);
const echo = dgram.createSocket('udp4');
echo.on('message', (msg, rinfo) => echo.send(Buffer.concat([Buffer.from('re: '), msg]), rinfo.port, rinfo.address));

afterAll(() => {
  mux.close();
  echo.close();
});

it('a datagram too big for UDP fails its own request; the request sent after it gets its answer', async () => {
  await new Promise<void>((done) => echo.bind(0, '127.0.0.1', done));
  const socket = mux.dgramModule.createSocket('udp4');
  const link = { socket, address: '127.0.0.1', port: echo.address().port, timeoutMs: 2000, retries: 0 };
  const accept = (msg: Buffer) => msg.toString();
  // the first request's send fails (EMSGSIZE) after the second has taken over the socket
  const tooBig = exchange(link, Buffer.alloc(70_000), accept);
  const next = exchange(link, Buffer.from('ping'), accept);
  await expect(tooBig).rejects.toMatchObject({ code: 'EMSGSIZE' });
  await expect(next).resolves.toBe('re: ping');
});
