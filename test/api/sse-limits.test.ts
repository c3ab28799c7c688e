/** SSE over real HTTP: the client limit (503 + Retry-After) and a stalled client dropped once its unsent bytes pass the limit. */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from '../../src/api/server.ts';
import type { ApiOptions } from '../../src/api/options.ts';
import { AUTH, TOKEN } from './helpers.ts';
import { createFakeServices, type FakeServices } from './fake-services.ts';
import { sseClients as sseClientCount } from './sse-reader.ts';

let server: ApiServer | undefined;
let svc: FakeServices;
const sockets: net.Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await server?.close();
  server = undefined;
});

async function start(over: Partial<ApiOptions>): Promise<void> {
  svc = createFakeServices();
  server = await startApiServer(svc, { listen: '127.0.0.1:0', tokens: [TOKEN], openReads: false, cors: false, heartbeatMs: 60_000, ...over });
}

/** a raw client: resolves with the first chunk the server sends (the status line and headers); `stall` stops reading after it */
function connect(stall = false): Promise<string> {
  const { port } = new URL(server!.url);
  const s = net.connect(Number(port), '127.0.0.1');
  sockets.push(s);
  s.on('error', () => {});
  s.write(`GET /api/v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\n\r\n`);
  return new Promise((resolve) => s.once('data', (chunk) => {
    if (stall) s.pause();
    resolve(chunk.toString('latin1'));
  }));
}

const sseClients = () => sseClientCount(server!);

describe('SSE limits', () => {
  it('answers 503 with Retry-After past sseMaxClients, and takes a client again once one leaves', async () => {
    await start({ sseMaxClients: 2 });
    expect(await connect()).toMatch(/^HTTP\/1\.1 200/);
    expect(await connect()).toMatch(/^HTTP\/1\.1 200/);
    const refused = await fetch(`${server!.url}/api/v1/events`, { headers: AUTH });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('30');
    expect((await refused.json()).message).toMatch(/^events: 2 live-update clients connected, the most this server takes \(sseMaxClients\)/);
    sockets[0].destroy();
    await expect.poll(sseClients, { timeout: 10_000 }).toBe(1);
    expect(await connect()).toMatch(/^HTTP\/1\.1 200/);
  });

  it('drops a stalled client once its unsent bytes pass sseMaxBufferedBytes', async () => {
    await start({ sseMaxBufferedBytes: 64 * 1024 });
    await connect(true);
    expect(await sseClients()).toBe(1);
    // events under the per-event cap (the budget), far more than the socket buffers can take
    for (let n = 0; n < 300; n++) {
      svc.emit({ type: 'trap', trap: { id: `t${n}`, time: 1, source: '127.0.0.1:1', version: '2c', trapOid: '1.3.6.1.6.3.1.1.5.4', varbinds: [{ oid: '1.3.6.1.2.1.1.5.0', type: 'OctetString', value: 'x'.repeat(60 * 1024) }] } });
    }
    await expect.poll(sseClients, { timeout: 10_000 }).toBe(0);
  });
});
