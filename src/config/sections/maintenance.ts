/** `maintenance`: maintenance windows (src/alerts/maintenance.ts): alerts of covered devices are recorded but not notified. */
import { z } from 'zod';
import { maintenanceWindowSchema } from '../../alerts/maintenance-schema.ts';

export const maintenanceSchema = z
  .array(maintenanceWindowSchema)
  .default([])
  .superRefine((windows, ctx) => {
    const seen = new Map<string, number>();
    windows.forEach((w, i) => {
      const first = seen.get(w.name);
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate window name "${w.name}" (also maintenance[${first}])` });
      else seen.set(w.name, i);
    });
  });

export type MaintenanceConfig = z.output<typeof maintenanceSchema>;
