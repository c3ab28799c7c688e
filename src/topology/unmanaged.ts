/**
 * Nodes for neighbours that are not managed devices. An LLDP neighbour is keyed by its chassis
 * ID (boxes left on a default name such as "Switch" stay apart), or by name when it sends none; a CDP neighbour joins the LLDP
 * node of the same name on the same local port (a Cisco box speaking both), else the one LLDP node
 * of that name, else becomes `cdp:<name>`. Lookups are Map-based: linear in the neighbours.
 */
import type { TopoNode } from './graph.ts';
import type { CdpNeighbor, LldpNeighbor } from './report.ts';
import { parseCdpDeviceId } from './cdp-id.ts';
import { shortName } from './normalize.ts';

export class UnmanagedNodes {
  private readonly byName = new Map<string, Set<string>>();
  private readonly onPort = new Map<string, Set<string>>();

  constructor(private readonly nodes: Map<string, TopoNode>) {}

  lldp(reporter: string, n: LldpNeighbor): string {
    const id = `lldp:${lldpKey(reporter, n)}`;
    if (!this.nodes.has(id)) {
      this.nodes.set(id, { id, label: n.sysName || n.chassisId, managed: false, sysName: n.sysName, chassisId: n.chassisId, address: n.managementAddresses[0] });
    }
    const port = portKey(reporter, n.localIfIndex ?? `#${n.localPortNum}`);
    add(this.onPort, port, id);
    if (n.sysName) {
      const short = shortName(n.sysName);
      add(this.byName, short, id);
      add(this.onPort, `${port}\u0000${short}`, id);
    }
    return id;
  }

  cdp(reporter: string, n: CdpNeighbor): string {
    const { name } = parseCdpDeviceId(n.deviceId);
    const short = name ? shortName(name) : undefined;
    const port = portKey(reporter, n.localIfIndex);
    const id = only(this.onPort.get(short ? `${port}\u0000${short}` : port))
      ?? (short ? only(this.byName.get(short)) : undefined)
      ?? `cdp:${short ?? n.address ?? `${reporter}/${n.localIfIndex}`}`;
    const node = this.nodes.get(id);
    if (!node) {
      this.nodes.set(id, { id, label: name || n.address || n.deviceId || id, managed: false, sysName: name, platform: n.platform, address: n.address });
      if (short) add(this.byName, short, id);
    } else {
      node.platform ??= n.platform;
      node.address ??= n.address;
    }
    return id;
  }
}

/** the chassis ID; for an agent that sends none (empty, or `hex:` of nothing) the sysName's host part, else the local port */
function lldpKey(reporter: string, n: LldpNeighbor): string {
  if (n.chassisId !== '' && n.chassisId !== 'hex:') return n.chassisId.toLowerCase();
  return n.sysName ? shortName(n.sysName) : `${reporter}/${n.localPortNum}`;
}

function portKey(reporter: string, port: number | string): string {
  return `${reporter}\u0000${port}`;
}

function only(set: Set<string> | undefined): string | undefined {
  return set?.size === 1 ? set.values().next().value : undefined;
}

function add(map: Map<string, Set<string>>, key: string, id: string) {
  const set = map.get(key) ?? new Set<string>();
  set.add(id);
  map.set(key, set);
}
