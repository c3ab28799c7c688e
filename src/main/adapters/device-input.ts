/** A device as the API sends it → the inventory's Device: the interface filter checked and normalised as the config file's is. */
import { interfaceFilterSchema } from '../../config/sections/interfaces.ts';
import { formatPath } from '../../config/issues.ts';
import { NetpulseError } from '../../errors/index.ts';
import type { DeviceInput } from '../../api/services.ts';
import type { Device } from '../../model/index.ts';

/** throws NetpulseError 'invalid' naming the field (`interfaces.include.ifType[0]: unknown IANAifType "x"; ...`) */
export function deviceFromInput(d: DeviceInput): Device {
  const { interfaces, ...rest } = d;
  if (interfaces === undefined) return rest;
  const parsed = interfaceFilterSchema.safeParse(interfaces);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new NetpulseError({ scope: 'api', target: `device ${d.name}`, reason: `${formatPath(['interfaces', ...issue.path])}: ${issue.message}`, kind: 'invalid' });
  }
  return { ...rest, interfaces: parsed.data };
}
