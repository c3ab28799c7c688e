/** `topology`: scheduled discovery. First version by the config loader; the topology engineer may extend it. */
import cron from 'node-cron';
import { z } from 'zod';
import { cidr } from '../primitives.ts';

export const topologySchema = z.strictObject({
  schedule: z.string().refine((v) => cron.validate(v), { error: (iss) => `expected a cron expression like "0 3 * * *", got "${String(iss.input)}"` }),
  crawl: z.looseObject({}).optional(),
  subnets: z.array(cidr()).optional(),
});

export type TopologyConfig = z.output<typeof topologySchema>;
