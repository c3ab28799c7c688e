/** Worker thread: runs decode + USM + event building for the receiver on another core. */
import { parentPort, workerData } from 'node:worker_threads';
import { checkDatagram } from './check.ts';
import type { TrapsConfig } from './config.ts';
import { LocalEngine } from './engine.ts';
import { TrapSecurity } from './security.ts';

export interface WorkerInit {
  config: Pick<TrapsConfig, 'communities' | 'users' | 'allow' | 'learnEngineIds'>;
  engineId: string;
  engineBoots: number;
  startedAt: number;
  /** copy the OCTET STRINGs' bytes beside the event (a dictionary on the main thread formats them) */
  keepBytes: boolean;
}
/** `receivedAt`: when the main thread read the datagram off its socket (ms) */
export interface WorkerTask { id: number; buf: Uint8Array; address: string; port: number; receivedAt: number }

const init = workerData as WorkerInit;
const local = new LocalEngine(Buffer.from(init.engineId, 'hex'), init.engineBoots, init.startedAt);
const security = new TrapSecurity(init.config, local);

parentPort!.on('message', (tasks: WorkerTask[]) => {
  const results = tasks.map((t) => {
    const buf = Buffer.from(t.buf.buffer, t.buf.byteOffset, t.buf.byteLength);
    return { id: t.id, outcome: checkDatagram(security, local, buf, t, { receivedAt: t.receivedAt, keepBytes: init.keepBytes }) };
  });
  parentPort!.postMessage({ results });
});

parentPort!.postMessage({ ready: true });
