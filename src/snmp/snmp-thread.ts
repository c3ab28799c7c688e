/**
 * An SNMP thread: runs the operations the main thread hands it on its own clients (one per
 * main-thread client) and answers with packed results (threaded-client.ts).
 */
import { parentPort } from 'node:worker_threads';
import { createSnmpClient, type NetpulseSnmpClient } from './client.ts';
import type { ThreadReply, ThreadRequest, ThreadStats } from './thread-messages.ts';
import { packError, packRows, packVarbinds, transferables } from './varbind-transfer.ts';

const port = parentPort!;
const clients = new Map<number, NetpulseSnmpClient>();
const NO_STATS: ThreadStats = { sockets: 0, virtualSockets: 0, strayDatagrams: 0, sessions: 0, active: 0, queued: 0, wireBulkRequests: 0 };

function clientFor(m: Exclude<ThreadRequest, { t: 'close' }>): NetpulseSnmpClient {
  let c = clients.get(m.client);
  if (!c) clients.set(m.client, (c = createSnmpClient({ ...(m.options ?? {}), threads: 0 })));
  return c;
}

async function handle(m: ThreadRequest): Promise<void> {
  if (m.t === 'close') {
    const c = clients.get(m.client);
    clients.delete(m.client);
    await c?.close().catch(() => undefined);
    reply({ t: 'closed', id: m.id, stats: NO_STATS });
    return;
  }
  const c = clientFor(m);
  try {
    if (m.t === 'table') {
      const data = packRows(await c.table(m.target, m.columns, m.opts));
      reply({ t: 'rows', id: m.id, data, stats: c.stats() }, transferables(data));
    } else {
      const vbs = m.t === 'get' ? await c.get(m.target, m.oids) : await c.walk(m.target, m.root, m.opts);
      const data = packVarbinds(vbs);
      reply({ t: 'varbinds', id: m.id, data, stats: c.stats() }, transferables(data));
    }
  } catch (err) {
    reply({ t: 'error', id: m.id, error: packError(err), stats: c.stats() });
  }
}

function reply(r: ThreadReply, transfer: ArrayBuffer[] = []): void {
  port.postMessage(r, transfer);
}

port.on('message', (m: ThreadRequest) => void handle(m));
