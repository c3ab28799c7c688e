// Helpers shared by the runtime tests against real agents (parent hold, parent checks).
import type { webhookServer } from '../alerts/sinks.ts';

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
