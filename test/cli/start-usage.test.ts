/** `netpulse start --help` names the signals that stop it and the one that reloads the config (src/main/stop-signals.ts). */
import { describe, expect, it, vi } from 'vitest';
import { run as startCmd } from '../../src/cli/commands/start.ts';

describe('netpulse start --help', () => {
  it('says SIGINT and SIGTERM stop it cleanly and SIGHUP reloads the config', async () => {
    const out: string[] = [];
    const o = vi.spyOn(process.stdout, 'write').mockImplementation((c) => (out.push(String(c)), true));
    try {
      expect(await startCmd(['--help'])).toBe(0);
    } finally {
      o.mockRestore();
    }
    const text = out.join('').replace(/\s+/g, ' ');
    expect(text).toContain('until SIGINT or SIGTERM (a clean');
    expect(text).toContain('SIGHUP reloads the config file');
  });
});
