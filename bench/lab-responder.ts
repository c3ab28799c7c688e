/**
 * Lab responder throughput: starts N simulated devices (default 10,000) in this process, then
 * drives them (1) with Net-SNMP snmpbulkwalk processes and (2) with a raw UDP GETBULK client in a
 * child process, printing varbinds/s and the responder's CPU use. Medians of --runs runs.
 *
 *   node bin/run-ts bench/lab-responder.ts [--devices 10000] [--seconds 4] [--runs 3] [--window 64]
 */
import { execFile, fork } from 'node:child_process';
import dgram from 'node:dgram';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startLab } from '../src/lab/index.ts';
import { decodeMessage, encodeCommunityMessage } from '../src/snmp/wire/index.ts';

const { values } = parseArgs({
  options: {
    devices: { type: 'string', default: '10000' }, seconds: { type: 'string', default: '4' },
    runs: { type: 'string', default: '3' }, window: { type: 'string', default: '64' },
    client: { type: 'boolean' }, targets: { type: 'string' },
  },
});

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

if (values.client) await rawClient();
else await main();

/** child: walks ifTable+ifXTable of many devices with GETBULK (maxRep 25), `window` in flight */
async function rawClient(): Promise<void> {
  const ports: number[] = JSON.parse(values.targets!);
  const seconds = Number(values.seconds);
  const window = Number(values.window);
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  let varbinds = 0;
  let responses = 0;
  let reqId = 1;
  let next = 0;
  const inflight = new Map<number, { port: number; oid: string; sent: number }>();
  const community = Buffer.from('np-lab-ro');
  const send = (port: number, oid: string) => {
    const id = reqId++;
    inflight.set(id, { port, oid, sent: Date.now() });
    s.send(encodeCommunityMessage({ version: '2c', community, pdu: { type: 'GetBulkRequest', requestId: id, errorStatus: 0, errorIndex: 25, varbinds: [{ oid, type: 'Null', value: null }] } }), port, '127.0.0.1');
  };
  const startNext = () => send(ports[next++ % ports.length], '1.3.6.1.2.1.2.2');
  const end = Date.now() + seconds * 1000;
  s.on('message', (buf) => {
    const r = decodeMessage(buf);
    if (!r.ok || r.value.version === '3' || r.value.pdu.type !== 'Response') return;
    const p = r.value.pdu;
    const req = inflight.get(p.requestId);
    if (!req) return;
    inflight.delete(p.requestId);
    responses++;
    varbinds += p.varbinds.length;
    if (Date.now() > end) return;
    const last = p.varbinds[p.varbinds.length - 1]?.oid ?? '';
    const inIfTable = (o: string) => o.startsWith('1.3.6.1.2.1.2.2.');
    if (inIfTable(last) || last.startsWith('1.3.6.1.2.1.31.1.1.')) send(req.port, last);
    else if (inIfTable(req.oid + '.') || req.oid === '1.3.6.1.2.1.2.2') send(req.port, '1.3.6.1.2.1.31.1.1');
    else startNext();
  });
  // v2c devices only (the child gets their ports); lost datagrams are re-issued after 1 s
  const t0 = Date.now();
  for (let i = 0; i < window; i++) startNext();
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [id, q] of inflight) if (now - q.sent > 1000) {
      inflight.delete(id);
      if (now < end) send(q.port, q.oid);
    }
  }, 200);
  await new Promise((r) => setTimeout(r, seconds * 1000 + 300));
  clearInterval(sweep);
  s.close();
  process.send!({ varbinds, responses, ms: Date.now() - t0 });
}

async function main(): Promise<void> {
  const n = Number(values.devices);
  const seconds = Number(values.seconds);
  const runs = Number(values.runs);
  const rss0 = process.memoryUsage().rss;
  const t0 = Date.now();
  const lab = await startLab({ devices: n, basePort: 0, seed: 1 });
  const startMs = Date.now() - t0;
  console.log(`lab-responder: ${n} devices bound in ${startMs} ms, RSS +${((process.memoryUsage().rss - rss0) / 1e6).toFixed(0)} MB (caveat: shared 2-core machine)`);
  const v2c = lab.devices.filter((d) => d.version === '2c');

  // (1) Net-SNMP snmpbulkwalk, 2 walks in parallel (the tools use the other core), v2c then v3 authPriv
  const v3 = lab.devices.filter((d) => d.version === '3' && d.v3User === 'np-sha256-aes');
  const V3ARGS = ['-v3', '-l', 'authPriv', '-u', 'np-sha256-aes', '-a', 'SHA-256', '-A', 'lab-auth-256', '-x', 'AES', '-X', 'lab-priv-aes128'];
  for (const [label, pool, args] of [['v2c', v2c, null], ['v3 authPriv SHA-256/AES', v3, V3ARGS]] as const) {
  const walkRates: number[] = [];
  const walkCpu: number[] = [];
  for (let r = 0; r < runs; r++) {
    const cpu0 = process.cpuUsage();
    const w0 = Date.now();
    let lines = 0;
    let k = r * 100;
    const worker = async () => {
      while (Date.now() - w0 < seconds * 1000) {
        const d = pool[k++ % pool.length];
        const out = await new Promise<string>((res) => execFile('snmpbulkwalk', [...(args ?? ['-v2c', '-c', d.community]), '-On', '-Cr50', '-t', '2', '-r', '1', `udp:127.0.0.1:${d.port}`, '1.3.6.1.2.1'], { maxBuffer: 1 << 26, env: { ...process.env, MIBS: '' } }, (_e, so) => res(so ?? '')));
        lines += out.split('\n').length - 1;
      }
    };
    await Promise.all([worker(), worker()]);
    const ms = Date.now() - w0;
    const c = process.cpuUsage(cpu0);
    walkRates.push((lines / ms) * 1000);
    walkCpu.push(((c.user + c.system) / 1000 / ms) * 100);
  }
  console.log(`snmpbulkwalk x2 (${label}, -Cr50, mib-2): median ${median(walkRates).toFixed(0)} varbinds/s, responder CPU ${median(walkCpu).toFixed(0)}% of one core (≈ ${(median(walkRates) / Math.max(0.01, median(walkCpu) / 100)).toFixed(0)} varbinds per responder CPU-second)`);
  }

  // (2) raw UDP GETBULK client in a child process
  const rawRates: number[] = [];
  const rawCpu: number[] = [];
  const rawRps: number[] = [];
  for (let r = 0; r < runs; r++) {
    const cpu0 = process.cpuUsage();
    const child = fork(fileURLToPath(import.meta.url), ['--client', '--seconds', String(seconds), '--window', values.window!, '--targets', JSON.stringify(v2c.map((d) => d.port))], {
      execArgv: ['--import', 'tsx'],
    });
    const res = await new Promise<{ varbinds: number; responses: number; ms: number }>((resolve, reject) => {
      child.once('message', (m) => resolve(m as { varbinds: number; responses: number; ms: number }));
      child.once('exit', (code) => code !== 0 && reject(new Error(`client exited ${code}`)));
    });
    const c = process.cpuUsage(cpu0);
    rawRates.push((res.varbinds / res.ms) * 1000);
    rawRps.push((res.responses / res.ms) * 1000);
    rawCpu.push(((c.user + c.system) / 1000 / res.ms) * 100);
  }
  console.log(`raw GETBULK client (v2c, maxRep 25, window ${values.window}, ifTable+ifXTable across ${v2c.length} devices): median ${median(rawRates).toFixed(0)} varbinds/s, ${median(rawRps).toFixed(0)} responses/s, responder CPU ${median(rawCpu).toFixed(0)}% of one core (≈ ${(median(rawRates) / Math.max(0.01, median(rawCpu) / 100)).toFixed(0)} varbinds per responder CPU-second)`);
  console.log(`responder totals: ${lab.responder.stats.requests} requests, ${lab.responder.stats.varbinds} varbinds, RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
  await lab.stop();
}
