/** `netpulse start --help` names every signal that stops it (src/main/run.ts STOP_SIGNALS). */
import { describe, expect, it, vi } from 'vitest';
import { run as startCmd } from '../../src/cli/commands/start.ts';

describe('netpulse start --help', () => {
  it('says SIGINT, SIGTERM and SIGHUP stop it cleanly, and that SIGHUP does not reload', async () => {
    const out: string[] = [];
    const o = vi.spyOn(process.stdout, 'write').mockImplementation((c) => (out.push(String(c)), true));
    try {
      expect(await startCmd(['--help'])).toBe(0);
    } finally {
      o.mockRestore();
    }
    const text = out.join('').replace(/\s+/g, ' ');
    expect(text).toContain('until SIGINT, SIGTERM or SIGHUP (a clean stop; SIGHUP does not reload the config');
  });
});
