/**
 * An event larger than a live client's send budget reaches the page as `too-large` with its URL:
 * the page fetches the whole event from /api/v1/events/{id} and handles it as if it came live
 * (its toast shows); once the server no longer holds it, the page re-reads its data instead.
 */
import { describe, expect, it } from 'vitest';
import type { Request } from 'playwright-core';
import { useLiveUi } from './live-ui-harness.ts';

const ui = useLiveUi('too-large', { sseMaxBufferedBytes: 64 * 1024, replayBytes: 8 * 1024 * 1024 });
const bigTrap = (id: string, trapName: string) => ({
  type: 'trap' as const,
  trap: {
    id, time: Date.now(), source: '127.0.0.2:40001', device: 'dist-sw1', version: '2c' as const, trapOid: '1.3.6.1.4.1.99.7', trapName,
    varbinds: [{ oid: '1.3.6.1.4.1.99.7.1', name: 'X::blob', type: 'OctetString', value: 'x'.repeat(200 * 1024) }],
  },
});

describe('a live event too large for the stream', () => {
  it('is fetched by its URL and shown like a live one', async () => {
    await ui.page.goto(`${ui.server.url}/#/devices`);
    await ui.page.locator('#live.on').waitFor({ timeout: 10_000 });
    const fetched: string[] = [];
    const seen = (r: Request) => { const path = new URL(r.url()).pathname; if (/^\/api\/v1\/events\/\d+$/.test(path)) fetched.push(path); };
    ui.page.on('request', seen);
    try {
      ui.svc.emit(bigTrap('big-1', 'BIG-MIB::hugeTrap'));
      await expect.poll(() => ui.page.locator('#toasts .toast').allTextContents(), { timeout: 10_000 }).toContain('trap BIG-MIB::hugeTrap from dist-sw1');
      expect(fetched).toHaveLength(1);
    } finally {
      ui.page.off('request', seen);
    }
  });
});
