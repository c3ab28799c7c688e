/**
 * `startLab(opts)`: a simulated network of SNMP devices on loopback, one UDP socket per device
 * (one port each on `address`, or one 127.x.y.z address each), plus faults and a trap generator.
 */
import dgram from 'node:dgram';
import { labConfigYaml, labTruth, type LabTruth } from './config.ts';
import { buildNetwork, type LabDevice, type Topology } from './network.ts';
import { Responder } from './responder.ts';
import { TrapSender, type TrapKind } from './traps.ts';

export type { LabDevice, Topology } from './network.ts';
export { LAB_V3_USERS, LAB_COMMUNITY } from './network.ts';
export type { LabTruth } from './config.ts';
export { MODELS } from './models.ts';

export interface LabOptions {
  devices?: number;
  /** 127.0.0.1 by default; ignored with addressPerDevice */
  address?: string;
  /** first UDP port (device i gets basePort+i); 0 = an ephemeral port per device */
  basePort?: number;
  /** every device on its own 127.x.y.z address, all on basePort (or ephemeral ports if 0) */
  addressPerDevice?: boolean;
  topology?: Topology;
  seed?: number;
  /** HOST:PORT for traps and informs */
  trapsTo?: string;
  /** background trap load, traps per second across all devices (needs trapsTo) */
  trapRate?: number;
  /** poll interval written into the generated config, e.g. "10s" */
  interval?: string;
}

export interface LabFaults {
  /** device stops answering (silence) */
  silence(device: string | number, on?: boolean): void;
  /** device answers after `ms` (0 = normal) */
  slow(device: string | number, ms: number): void;
  /** agent restart: sysUpTime and counters restart, engineBoots++, coldStart trap */
  restart(device: string | number): void;
  /** port goes down (linkDown trap) and back up after downMs (linkUp trap) */
  flap(device: string | number, ifIndex?: number, downMs?: number): void;
  /** flap every periodMs until stopped; returns a stop function */
  flapEvery(device: string | number, periodMs: number, ifIndex?: number, downMs?: number): () => void;
  /** walks of ifDescr return a non-increasing OID */
  nonIncreasing(device: string | number, on?: boolean): void;
}

export interface Lab {
  devices: LabDevice[];
  /** netpulse YAML config for these devices */
  config: string;
  truth: LabTruth;
  faults: LabFaults;
  responder: Responder;
  traps: TrapSender | undefined;
  device(ref: string | number): LabDevice;
  stop(): Promise<void>;
}

export async function startLab(opts: LabOptions = {}): Promise<Lab> {
  const n = opts.devices ?? 30;
  if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new Error(`lab: --devices must be 1..100000, got ${n}`);
  const address = opts.address ?? '127.0.0.1';
  if (!/^127\.\d+\.\d+\.\d+$/.test(address) && address !== '::1') throw new Error(`lab: address must be loopback (127.x.y.z or ::1), got ${address}`);
  const devices = buildNetwork({
    devices: n, topology: opts.topology ?? 'ring', seed: opts.seed ?? 1, address, basePort: opts.basePort ?? 0,
    addressPerDevice: opts.addressPerDevice ?? false, startMs: Date.now(),
  });
  const responder = new Responder(devices);
  const sockets: dgram.Socket[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let traps: TrapSender | undefined;

  const cleanup = async () => {
    for (const t of timers) clearTimeout(t);
    timers.clear();
    traps?.close();
    await Promise.all(sockets.map((s) => new Promise<void>((res) => {
      try {
        s.close(() => res());
      } catch {
        res();
      }
    })));
  };

  const socketOf = new Map<LabDevice, dgram.Socket>();
  // an inform's Response comes back to the device socket the inform left from
  const fromReceiver = (buf: Buffer, rinfo: dgram.RemoteInfo): boolean => {
    if (!traps?.isReceiver(rinfo.address, rinfo.port)) return false;
    traps.receive(buf);
    return true;
  };
  try {
    await bindAll(devices, sockets, responder, socketOf, fromReceiver);
  } catch (err) {
    await cleanup();
    throw err;
  }
  if (opts.trapsTo) {
    const m = /^(.+):(\d+)$/.exec(opts.trapsTo);
    if (!m) throw new Error(`lab: --traps-to must be HOST:PORT, got ${opts.trapsTo}`);
    const host = m[1].replace(/^\[|\]$/g, '');
    if (!/^127\./.test(host) && host !== '::1' && host !== 'localhost') throw new Error(`lab: traps go to loopback only, got ${host}`);
    traps = new TrapSender(host === 'localhost' ? '127.0.0.1' : host, Number(m[2]), 3, (d) => socketOf.get(d));
  }

  const byName = new Map(devices.map((d) => [d.name, d]));
  const device = (ref: string | number): LabDevice => {
    const d = typeof ref === 'number' ? devices[ref] : byName.get(ref) ?? devices[Number(ref)];
    if (!d) throw new Error(`lab: no device ${ref}`);
    return d;
  };
  const firstLinkedPort = (d: LabDevice) => [...d.peers.keys()].sort((a, b) => a - b)[0] ?? 1;
  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  const faults: LabFaults = {
    silence: (ref, on = true) => { device(ref).faults.silent = on; },
    slow: (ref, ms) => { device(ref).faults.slowMs = Math.max(0, ms); },
    nonIncreasing: (ref, on = true) => { device(ref).faults.nonIncreasing = on; },
    restart: (ref) => {
      const d = device(ref);
      const now = Date.now();
      d.bootAt = now;
      d.engineBoots++;
      d.lastChange.clear();
      traps?.send(d, 'coldStart', now);
    },
    flap: (ref, ifIndex, downMs = 5000) => {
      const d = device(ref);
      const i = ifIndex ?? firstLinkedPort(d);
      const set = (down: boolean) => {
        const now = Date.now();
        if (down) d.faults.downPorts.add(i);
        else d.faults.downPorts.delete(i);
        // LLDP/CDP rows of the link vanish on both ends while it is down
        responder.invalidate(d);
        const peer = d.peers.get(i);
        if (peer) responder.invalidate(devices[peer.device]);
        d.lastChange.set(i, now);
        traps?.send(d, down ? 'linkDown' : 'linkUp', now, i);
      };
      set(true);
      later(downMs, () => set(false));
    },
    flapEvery: (ref, periodMs, ifIndex, downMs) => {
      let stopped = false;
      const tick = () => {
        if (stopped) return;
        faults.flap(ref, ifIndex, downMs ?? Math.floor(periodMs / 3));
        later(periodMs, tick);
      };
      tick();
      return () => { stopped = true; };
    },
  };

  if (traps && opts.trapRate && opts.trapRate > 0) startTrapLoad(devices, traps, opts.trapRate, later);

  return {
    devices,
    config: labConfigYaml(devices, { interval: opts.interval }),
    truth: labTruth(devices),
    faults,
    responder,
    traps,
    device,
    stop: cleanup,
  };
}

function startTrapLoad(devices: LabDevice[], traps: TrapSender, rate: number, later: (ms: number, fn: () => void) => void): void {
  let debt = 0;
  let k = 0;
  let last = Date.now();
  const tick = () => {
    const now = Date.now();
    debt += ((now - last) / 1000) * rate;
    last = now;
    const kinds: TrapKind[] = ['linkDown', 'linkUp'];
    while (debt >= 1) {
      const d = devices[k % devices.length];
      const ports = d.model.ports.length;
      traps.send(d, kinds[Math.floor(k / devices.length) % 2], now, 1 + (k % ports));
      k++;
      debt--;
    }
    later(10, tick);
  };
  later(10, tick);
}

type Intercept = (buf: Buffer, rinfo: dgram.RemoteInfo) => boolean;

async function bindAll(devices: LabDevice[], sockets: dgram.Socket[], responder: Responder, socketOf: Map<LabDevice, dgram.Socket>, intercept: Intercept): Promise<void> {
  const batch = 256;
  for (let i = 0; i < devices.length; i += batch) {
    await Promise.all(devices.slice(i, i + batch).map((d) => bindOne(d, sockets, responder, socketOf, intercept)));
  }
}

function bindOne(d: LabDevice, sockets: dgram.Socket[], responder: Responder, socketOf: Map<LabDevice, dgram.Socket>, intercept: Intercept): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket({ type: d.address.includes(':') ? 'udp6' : 'udp4' });
    const onError = (err: Error) => reject(new Error(`lab: cannot bind ${d.name} on ${d.address}:${d.port}: ${err.message}`));
    s.once('error', onError);
    s.on('message', (buf, rinfo) => {
      if (intercept(buf, rinfo) || d.faults.silent) return;
      let reply: Buffer | undefined;
      try {
        reply = responder.handle(d, buf, Date.now());
      } catch {
        responder.stats.malformed++;
        return;
      }
      if (!reply) return;
      const out = reply;
      const send = () => {
        try {
          s.send(out, rinfo.port, rinfo.address);
        } catch {
          /* socket closed by stop() */
        }
      };
      if (d.faults.slowMs > 0) setTimeout(send, d.faults.slowMs).unref();
      else send();
    });
    s.bind(d.port, d.address, () => {
      s.off('error', onError);
      s.on('error', () => {});
      d.port = s.address().port;
      sockets.push(s);
      socketOf.set(d, s);
      resolve();
    });
  });
}
