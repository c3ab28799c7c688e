/**
 * Forwarding tables as a real bridge learns them. Bridges joined by links form an L2 domain;
 * routers and servers end it (they do not forward frames, so what lies behind them is not
 * learned). Loops (mesh) are cut by a spanning tree (root = lowest chassis MAC, BFS = equal
 * path costs), so every MAC sits behind exactly one port. A bridge learns, behind the port
 * towards each MAC's bridge: other bridges' chassis MACs, router/server port MACs and hosts;
 * plus the port MAC of each bridge attached over a forwarding link. A blocked link learns nothing.
 * Never its own MACs.
 *
 * Per domain one sorted MAC list (typed arrays) is built on first use and shared by all its
 * bridges; a lookup finds the MAC by binary search and the port from the spanning tree's Euler
 * tour, so a bridge's table costs no memory of its own however large the domain.
 */
import { compareOids, encodeOidContent } from '../snmp/wire/index.ts';
import type { MibEntry } from './mib-index.ts';
import { portMac, type LabDevice } from './network.ts';

const macNum = (m: number[]): number => ((((m[0] * 256 + m[1]) * 256 + m[2]) * 256 + m[3]) * 256 + m[4]) * 256 + m[5];
const macBytes = (n: number): number[] => {
  const out = new Array<number>(6);
  for (let i = 5; i >= 0; i--) {
    out[i] = n % 256;
    n = Math.floor(n / 256);
  }
  return out;
};

export interface Domain {
  /** sorted MACs and, per MAC, the bridge it is learned at (device index) and that bridge's port (0 = the bridge's own MAC) */
  macs: Float64Array;
  anchor: Int32Array;
  anchorPort: Uint16Array;
  /** per member bridge: Euler-tour interval in the spanning tree, port to the parent, children sorted by tin */
  tin: Map<number, number>;
  tout: Map<number, number>;
  rootPort: Map<number, number>;
  children: Map<number, { tin: number; tout: number; port: number }[]>;
}

/** one bridge's forwarding table: the domain's shared MAC list seen from this bridge, plus its neighbours' port MACs */
export interface FdbTable {
  dom: Domain | undefined;
  own: number;
  /** directly attached bridges' port MACs, sorted: [mac, local port] */
  extra: [number, number][];
}

export interface FdbRow {
  mac: number[];
  port: number;
}

export class L2Domains {
  private domainOf: Int32Array | undefined;
  private domains = new Map<number, Domain>();

  constructor(private readonly devices: LabDevice[]) {}

  /** `d`'s forwarding table (empty for non-bridges); cheap: the domain is built once and shared */
  table(d: LabDevice): FdbTable {
    if (!d.model.bridge) return { dom: undefined, own: d.index, extra: [] };
    const dom = this.domain(d);
    const forwarding = (ifIndex: number) => dom.rootPort.get(d.index) === ifIndex || dom.children.get(d.index)!.some((c) => c.port === ifIndex);
    const extra: [number, number][] = [];
    for (const [ifIndex, p] of d.peers) {
      const r = this.devices[p.device];
      if (r.model.bridge && forwarding(ifIndex)) extra.push([macNum(portMac(r, p.ifIndex)), ifIndex]);
    }
    return { dom, own: d.index, extra: extra.sort((a, b) => a[0] - b[0]) };
  }

  /** the first row whose MAC arcs are greater than `suffix` (or equal, with `inclusive`) */
  rowAfter(t: FdbTable, suffix: number[], inclusive = false): FdbRow | undefined {
    const after = (mac: number) => {
      const c = compareOids(macBytes(mac), suffix);
      return inclusive ? c >= 0 : c > 0;
    };
    let best: [number, number] | undefined;
    for (const e of t.extra) {
      if (after(e[0])) {
        best = e;
        break;
      }
    }
    const dom = t.dom;
    if (dom) {
      let lo = 0;
      let hi = dom.macs.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (after(dom.macs[mid])) hi = mid;
        else lo = mid + 1;
      }
      for (let i = lo; i < dom.macs.length && (!best || dom.macs[i] < best[0]); i++) {
        const a = dom.anchor[i];
        if (a === t.own && dom.anchorPort[i] === 0) continue; // its own MAC
        best = [dom.macs[i], a === t.own ? dom.anchorPort[i] : this.portTowards(dom, t.own, a)];
        break;
      }
    }
    return best && { mac: macBytes(best[0]), port: best[1] };
  }

  private portTowards(dom: Domain, from: number, to: number): number {
    const t = dom.tin.get(to)!;
    if (t > dom.tin.get(from)! && t <= dom.tout.get(from)!) {
      const ch = dom.children.get(from)!;
      let lo = 0;
      let hi = ch.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (ch[mid].tin <= t) lo = mid;
        else hi = mid - 1;
      }
      return ch[lo].port;
    }
    return dom.rootPort.get(from)!;
  }

  private domain(d: LabDevice): Domain {
    const ids = (this.domainOf ??= this.label());
    const id = ids[d.index];
    let dom = this.domains.get(id);
    if (!dom) {
      dom = this.build(d);
      this.domains.set(id, dom);
    }
    return dom;
  }

  /** domain id per device: the lowest device index among connected bridges (-1 for non-bridges) */
  private label(): Int32Array {
    const ids = new Int32Array(this.devices.length).fill(-1);
    for (const start of this.devices) {
      if (!start.model.bridge || ids[start.index] !== -1) continue;
      const stack = [start.index];
      ids[start.index] = start.index;
      while (stack.length > 0) {
        const cur = this.devices[stack.pop()!];
        for (const p of cur.peers.values()) {
          if (ids[p.device] === -1 && this.devices[p.device].model.bridge) {
            ids[p.device] = start.index;
            stack.push(p.device);
          }
        }
      }
    }
    return ids;
  }

  private build(member: LabDevice): Domain {
    const ids = this.domainOf!;
    const id = ids[member.index];
    const bridges = this.devices.filter((x) => ids[x.index] === id);
    const root = bridges.reduce((a, b) => (macNum(b.chassisMac) < macNum(a.chassisMac) ? b : a));
    // spanning tree: BFS from the root, ports in ifIndex order
    const parent = new Map<number, { device: number; port: number; parentPort: number }>();
    const order = [root.index];
    const seen = new Set(order);
    for (let i = 0; i < order.length; i++) {
      const cur = this.devices[order[i]];
      for (const [ifIndex, p] of [...cur.peers].sort((a, b) => a[0] - b[0])) {
        if (seen.has(p.device) || !this.devices[p.device].model.bridge) continue;
        seen.add(p.device);
        parent.set(p.device, { device: cur.index, port: p.ifIndex, parentPort: ifIndex });
        order.push(p.device);
      }
    }
    const kids = new Map<number, number[]>(bridges.map((b) => [b.index, []]));
    for (const v of order.slice(1)) kids.get(parent.get(v)!.device)!.push(v);
    // Euler tour (iterative) for "is b in the subtree of a"
    const tin = new Map<number, number>();
    const tout = new Map<number, number>();
    let clock = 0;
    const stack: [number, number][] = [[root.index, 0]];
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top[1] === 0) tin.set(top[0], clock++);
      const ch = kids.get(top[0])!;
      if (top[1] < ch.length) stack.push([ch[top[1]++], 0]);
      else {
        tout.set(top[0], clock - 1);
        stack.pop();
      }
    }
    const rootPort = new Map<number, number>();
    const children = new Map<number, { tin: number; tout: number; port: number }[]>();
    for (const b of bridges) {
      const pp = parent.get(b.index);
      if (pp) rootPort.set(b.index, pp.port);
      children.set(b.index, kids.get(b.index)!.map((c) => ({ tin: tin.get(c)!, tout: tout.get(c)!, port: parent.get(c)!.parentPort })).sort((x, y) => x.tin - y.tin));
    }
    // every MAC of the domain, with the bridge it hangs off
    const entries: [number, number, number][] = [];
    for (const b of bridges) {
      entries.push([macNum(b.chassisMac), b.index, 0]);
      for (const [ifIndex, p] of b.peers) {
        const r = this.devices[p.device];
        if (!r.model.bridge) entries.push([macNum(portMac(r, p.ifIndex)), b.index, ifIndex]);
      }
      for (const [ifIndex, h] of b.hosts) entries.push([macNum(h.mac), b.index, ifIndex]);
    }
    entries.sort((a, b) => a[0] - b[0]);
    // a host MAC seen twice keeps one row, like a real table
    const unique = entries.filter((e, i) => i === 0 || entries[i - 1][0] !== e[0]);
    return {
      macs: Float64Array.from(unique, (e) => e[0]),
      anchor: Int32Array.from(unique, (e) => e[1]),
      anchorPort: Uint16Array.from(unique, (e) => e[2]),
      tin, tout, rootPort, children,
    };
  }
}

const DOT1D = [1, 3, 6, 1, 2, 1, 17, 4, 3, 1];
const DOT1Q = [1, 3, 6, 1, 2, 1, 17, 7, 1, 2, 2, 1];
/** dot1dTpFdbAddress/Port/Status, then dot1qTpFdbPort/Status (FDB id 1 = VLAN 1) */
const COLUMNS: { table: number[]; col: number; fdbId: boolean }[] = [
  { table: DOT1D, col: 1, fdbId: false }, { table: DOT1D, col: 2, fdbId: false }, { table: DOT1D, col: 3, fdbId: false },
  { table: DOT1Q, col: 2, fdbId: true }, { table: DOT1Q, col: 3, fdbId: true },
];
export const FDB_SUBTREES = [DOT1D.slice(0, -1), DOT1Q.slice(0, -1)];

function entry(c: (typeof COLUMNS)[number], row: FdbRow): MibEntry {
  const arcs = [...c.table, c.col, ...(c.fdbId ? [1] : []), ...row.mac];
  const [type, value]: [MibEntry['type'], () => Buffer | number] = c.col === 1 ? ['OctetString', () => Buffer.from(row.mac)] : c.col === 2 ? ['Integer', () => row.port] : ['Integer', () => 3];
  return { arcs, oid: arcs.join('.'), ber: encodeOidContent(arcs), type, get: value };
}

/** the first FDB object strictly after `arcs`, or undefined */
export function fdbNext(l2: L2Domains, t: FdbTable, arcs: number[]): MibEntry | undefined {
  for (const c of COLUMNS) {
    const prefix = [...c.table, c.col, ...(c.fdbId ? [1] : [])];
    const cmp = compareOids(arcs.slice(0, prefix.length), prefix);
    if (cmp > 0) continue;
    // before this column, or inside it
    const row = l2.rowAfter(t, cmp < 0 ? [] : arcs.slice(prefix.length));
    if (row) return entry(c, row);
  }
  return undefined;
}

export function fdbExact(l2: L2Domains, t: FdbTable, arcs: number[]): MibEntry | undefined {
  for (const c of COLUMNS) {
    const prefix = [...c.table, c.col, ...(c.fdbId ? [1] : [])];
    if (arcs.length !== prefix.length + 6 || compareOids(arcs.slice(0, prefix.length), prefix) !== 0) continue;
    const suffix = arcs.slice(prefix.length);
    const row = l2.rowAfter(t, suffix, true);
    if (row && compareOids(row.mac, suffix) === 0) return entry(c, row);
  }
  return undefined;
}
