// The config's `mibUpload` limits reach the runtime's MIB upload parser (runtime.ts → openDictionary).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.ts';
import { startNetpulse, type NetpulseRuntime } from '../../src/main/runtime.ts';
import { GOOD_MODULE } from '../mib/fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'netpulse-upload-config-'));
let rt: NetpulseRuntime | undefined;
afterAll(async () => {
  await rt?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('runtime mibUpload', () => {
  it('parses uploads with the configured queue bound and time limit', async () => {
    mkdirSync(join(dir, 'mibs'));
    const config = parseConfig(`
dataDir: ${join(dir, 'data')}
mibDirs: [${join(dir, 'mibs')}]
mibUpload: { timeLimit: 3s, maxQueued: 0 }
`, 'upload.yaml', {});
    rt = await startNetpulse(config, { log: () => {}, compileMibsSync: true });
    const first = rt.dictionary.uploads.parse(GOOD_MODULE, 'upload');
    // no upload may wait behind the one being parsed; Retry-After follows the time limit (default 10 s)
    expect(await rt.dictionary.uploads.parse(GOOD_MODULE, 'upload')).toEqual({
      kind: 'busy', retryAfterSeconds: 3, message: "mib: upload GOOD-MIB: the MIB parser's queue is full (0 waiting); try again in 3 s",
    });
    expect((await first).kind).toBe('parsed');
  }, 60_000);
});
