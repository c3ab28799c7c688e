// The runtime's dictionary builds the browser's and the search's indexes in the background once adopted, so the first search answers at once.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDictionary } from '../../src/main/dictionary.ts';
import { smallCorpus } from '../mib/fixtures.ts';

const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

function holder(warmup?: boolean) {
  const mibs = smallCorpus();
  const dataDir = mkdtempSync(join(tmpdir(), 'netpulse-warmup-'));
  dirs.push(mibs, dataDir);
  const log: string[] = [];
  const h = openDictionary({ dataDir, mibDirs: [mibs], log: (l) => log.push(l), sync: true, warmup });
  return { h, log, words: join(h.cacheDir, 'words.bin') };
}

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

describe('dictionary warm-up', () => {
  it('builds the search index after adopting a dictionary, without a search asking (and stores it in the cache)', async () => {
    const { h, log, words } = holder();
    try {
      expect(h.state()).toBe('ready');
      expect(await until(() => existsSync(words), 20_000), 'words.bin written by the warm-up').toBe(true);
      expect(h.current().search('inbound errors', { limit: 3 }).hits.map((x) => x.node.name)).toContain('ifInErrors');
      expect(log.filter((l) => l.includes('warning'))).toEqual([]);
    } finally {
      await h.close();
    }
  });

  it('with warmup false (config mibWarmup) builds only the lookup indexes; the first search builds the rest', async () => {
    const { h, words } = holder(false);
    try {
      await new Promise((r) => setTimeout(r, 1000));
      expect(existsSync(words)).toBe(false);
      expect(h.current().search('inbound errors', { limit: 3 }).hits.map((x) => x.node.name)).toContain('ifInErrors');
      expect(existsSync(words)).toBe(true);
    } finally {
      await h.close();
    }
  });

  it('stops before the browser and search indexes when closed', async () => {
    const { h, words } = holder();
    await h.close();
    await new Promise((r) => setTimeout(r, 500));
    expect(existsSync(words)).toBe(false);
  });
});
