import { isIP } from 'node:net';
import { lookup } from 'node:dns/promises';

export type Resolved = { address: string } | { error: string };

/**
 * Resolves host names in parallel before the engine runs, so one slow or dead name costs only
 * its own result instead of stalling the whole fping batch (fping resolves serially at start-up).
 * IP literals (also `[v6]`) pass through without a lookup.
 */
export async function resolveHosts(hosts: readonly string[], timeoutMs = 2000): Promise<Map<string, Resolved>> {
  const out = new Map<string, Resolved>();
  const names: string[] = [];
  for (const host of hosts) {
    const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
    if (isIP(bare)) out.set(host, { address: bare });
    else names.push(host);
  }
  await Promise.all(
    names.map(async (host) => {
      out.set(host, await resolveOne(host, timeoutMs));
    }),
  );
  return out;
}

async function resolveOne(host: string, timeoutMs: number): Promise<Resolved> {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (isIP(bare)) return { address: bare };
  if (!/^[A-Za-z0-9_]([A-Za-z0-9_.-]{0,252})$/.test(bare)) {
    return { error: `icmp: host ${JSON.stringify(host)}: invalid host name or address` };
  }
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    const { address } = await Promise.race([lookup(bare), timeout]);
    return { address };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const reason = e.code === 'ENOTFOUND' ? 'name not found' : e.code === 'EAI_AGAIN' ? 'temporary DNS failure' : e.message;
    return { error: `icmp: host ${host}: resolve: ${reason}` };
  } finally {
    clearTimeout(timer);
  }
}
