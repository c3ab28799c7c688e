// Helpers shared by the runtime tests against real agents (parent hold, parent checks).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/index.ts';
import { startNetpulse } from '../../src/main/runtime.ts';
import { webhookServer } from '../alerts/sinks.ts';

/**
 * `until(what, fn)`: polls `fn` every 100 ms until it returns a truthy value, which it returns;
 * after `timeoutMs` it fails with the last 30 lines of the runtime's log.
 */
export function untilWithLog(logLines: readonly string[]) {
  return async function until<T>(what: string, fn: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const v = fn();
      if (v) return v;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${what}\nruntime log:\n${logLines.slice(-30).join('\n')}`);
  };
}

/** the notifications the webhook sink received, as `<event> <device>` */
export function sentEvents(hook: Awaited<ReturnType<typeof webhookServer>>): string[] {
  return hook.hits.map((h) => {
    const b = JSON.parse(h.body);
    return `${b.event} ${b.alert.device}`;
  });
}

/**
 * netpulse on the given `credentials` and `devices` (YAML lines under those keys) with a parent
 * hold of 8 s, 400 ms timeouts with one retry (one late answer on a loaded machine must not fail a
 * poll), and every notification sent to a local webhook;
 * its log goes to `logLines`. `stop()` stops it and removes its webhook and data directory.
 */
export async function startHoldRuntime(name: string, credentials: string, devices: string, logLines: string[]) {
  const dir = mkdtempSync(join(tmpdir(), `netpulse-${name}-`));
  mkdirSync(join(dir, 'mibs'));
  const hook = await webhookServer();
  const config = parseConfig(`
credentials:
${credentials}
devices:
${devices}
defaults: { timeout: 400ms, retries: 1 }
dataDir: ${join(dir, 'data')}
mibDirs: [${join(dir, 'mibs')}]
alerts: { parentHold: 8s }
notifications:
  channels: { hook: { type: webhook, url: "${hook.url()}" } }
  routes: [{ channels: [hook] }]
`, `${name}.yaml`, {});
  const rt = await startNetpulse(config, { log: (l) => logLines.push(l) }).catch(async (err) => {
    await hook.close();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  });
  return {
    hook,
    rt,
    async stop() {
      await rt.stop();
      await hook.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
