/** `mibUpload`: limits of the worker that parses MIB uploads (POST /api/v1/mibs, src/main/mib-upload-parser.ts). */
import { z } from 'zod';
import { duration } from '../primitives.ts';

/** the same values as the parser's own defaults (UPLOAD_PARSER_DEFAULTS, checked by test/config/mib-upload.test.ts) */
const DEFAULT_TIME_LIMIT_MS = 10_000;
const DEFAULT_MAX_QUEUED = 4;
const DEFAULT_MAX_HEAP_MB = 256;
const DEFAULT_MAX_MODULES = 50;

const MAX_TIME_LIMIT_MS = 600_000;

const intRange = (min: number, max: number, unit = '') => {
  const error = `expected an integer${unit} from ${min} to ${max}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};

export const mibUploadSchema = z
  .strictObject({
    /** the parse worker is terminated after this long, its start-up included */
    timeLimit: duration({ min: 100 })
      .refine((ms) => ms <= MAX_TIME_LIMIT_MS, { error: 'expected at most 10m (the client waits that long for an answer)' })
      .default(DEFAULT_TIME_LIMIT_MS),
    /** uploads that may wait behind the one being parsed; more are answered 503 (busy) */
    maxQueued: intRange(0, 1000).default(DEFAULT_MAX_QUEUED),
    /** the worker's V8 old-generation heap cap in MB */
    maxHeapMb: intRange(32, 8192, ' number of MB').default(DEFAULT_MAX_HEAP_MB),
    /** modules one upload may declare; more are refused (422) */
    maxModules: intRange(1, 10_000).default(DEFAULT_MAX_MODULES),
  })
  .transform(({ timeLimit, ...rest }) => ({ timeLimitMs: timeLimit, ...rest }))
  .prefault({});

export type MibUploadConfig = z.output<typeof mibUploadSchema>;
