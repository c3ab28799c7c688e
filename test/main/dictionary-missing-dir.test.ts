// openDictionary's start-up log names a configured MIB folder that is missing, rather than calling the list empty.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDictionary } from '../../src/main/dictionary.ts';

const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

async function startLog(mibDirs: (dataDir: string) => string[]) {
  const dataDir = mkdtempSync(join(tmpdir(), 'netpulse-mibdirs-'));
  dirs.push(dataDir);
  const log: string[] = [];
  const h = openDictionary({ dataDir, mibDirs: mibDirs(dataDir), log: (l) => log.push(l), sync: true });
  await h.close();
  return { log, state: h.state(), problems: h.problems(), dataDir };
}

describe('openDictionary with no MIB files', () => {
  it('a missing mibDirs folder: logs which one and why, and lists it in problems()', async () => {
    const { log, state, problems, dataDir } = await startLog((d) => [join(d, 'mibs')]);
    const missing = join(dataDir, 'mibs');
    expect(log).toContain(`mib: error: ${missing}: cannot read: ENOENT`);
    expect(log).toContain(`mib: no MIB files in ${missing} (errors above): OIDs are shown numerically`);
    expect(log.join('\n')).not.toContain('mibDirs is empty');
    expect(state).toBe('empty');
    expect(problems).toMatchObject([{ file: missing, severity: 'error', message: 'cannot read: ENOENT' }]);
  });

  it('an existing but empty folder: says it holds no MIB files, with no error', async () => {
    const { log } = await startLog((d) => { mkdirSync(join(d, 'empty')); return [join(d, 'empty')]; });
    expect(log.filter((l) => l.startsWith('mib:'))).toEqual([expect.stringMatching(/^mib: no MIB files in .*empty: OIDs are shown numerically$/)]);
  });

  it('an empty mibDirs list: says so', async () => {
    const { log } = await startLog(() => []);
    expect(log).toEqual(['mib: no MIB files (mibDirs is empty): OIDs are shown numerically']);
  });
});
