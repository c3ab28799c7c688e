/**
 * `mibUpload`'s defaults, which are also the MIB upload parser's (src/main/mib-upload-parser.ts)
 * when it is given none. A file without zod: the parse worker loads the parser's module for
 * every upload, and zod would add to each worker's start-up.
 */
export const MIB_UPLOAD_DEFAULTS = { timeLimitMs: 10_000, maxQueued: 4, maxHeapMb: 256, maxModules: 50 } as const;
