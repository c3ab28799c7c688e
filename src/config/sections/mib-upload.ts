/** `mibUpload`: limits of the worker that parses MIB uploads (POST /api/v1/mibs, src/main/mib-upload-parser.ts). */
import { z } from 'zod';
import { duration, integer } from '../primitives.ts';
import { MIB_UPLOAD_DEFAULTS as DEFAULTS } from './mib-upload-defaults.ts';

const MAX_TIME_LIMIT_MS = 600_000;

const intRange = (min: number, max: number, unit = '') => integer(`expected an integer${unit} from ${min} to ${max}`, min, max);

export const mibUploadSchema = z
  .strictObject({
    /** the parse worker is terminated after this long, its start-up included */
    timeLimit: duration({ min: 100 })
      .refine((ms) => ms <= MAX_TIME_LIMIT_MS, { error: 'expected at most 10m (the client waits that long for an answer)' })
      .default(DEFAULTS.timeLimitMs),
    /** uploads that may wait behind the one being parsed; more are answered 503 (busy) */
    maxQueued: intRange(0, 1000).default(DEFAULTS.maxQueued),
    /** the worker's V8 old-generation heap cap in MB */
    maxHeapMb: intRange(32, 8192, ' number of MB').default(DEFAULTS.maxHeapMb),
    /** modules one upload may declare; more are refused (422) */
    maxModules: intRange(1, 10_000).default(DEFAULTS.maxModules),
  })
  .transform(({ timeLimit, ...rest }) => ({ timeLimitMs: timeLimit, ...rest }))
  .prefault({});

export type MibUploadConfig = z.output<typeof mibUploadSchema>;
