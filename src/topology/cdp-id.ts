/**
 * The host name inside a CDP device ID: NX-OS sends "name(SERIAL)", some agents an empty
 * ID or a MAC (set by collect as `00:1b:...`). `name` is what sysName matching uses.
 */
export interface CdpIdentity {
  name?: string;
  serial?: string;
}

export function parseCdpDeviceId(deviceId: string): CdpIdentity {
  const id = deviceId.trim();
  if (!id) return {};
  const m = /^([^()\s]+)\(([^()]+)\)$/.exec(id);
  return m ? { name: m[1], serial: m[2] } : { name: id };
}
