/** TopologyPort (API) over the TopologyService: the topology module's own API view, with device states from the poller. */
import type { TopologyPort } from '../../api/services.ts';
import type { DeviceState } from '../../model/device.ts';
import { topologyPort as apiView, type TopologyService } from '../../topology/index.ts';

export function topologyPort(service: TopologyService, stateOf: (device: string) => DeviceState | undefined): TopologyPort {
  return apiView(service, { state: stateOf });
}
