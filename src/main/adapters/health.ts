/** Readiness checks: storage writable, scheduler running, trap sockets bound, OID dictionary state. */
import type { HealthCheck, HealthPort } from '../../api/services.ts';

export interface HealthSources {
  storage: () => { healthy: boolean; detail?: string; backend: string };
  scheduler: () => { running: boolean; jobs: number };
  /** undefined: no trap receiver configured */
  traps?: () => { bound: string[]; error?: string };
  dictionary: () => { state: string; nodes: number };
  configFile: string;
}

export function healthPort(src: HealthSources): HealthPort {
  return {
    async checks() {
      const out: HealthCheck[] = [{ name: 'config', ok: true, detail: src.configFile || '(text)' }];
      const s = src.storage();
      out.push({ name: 'storage', ok: s.healthy, detail: `${s.backend}${s.detail ? `: ${s.detail}` : ''}` });
      const p = src.scheduler();
      out.push({ name: 'scheduler', ok: p.running, detail: `${p.jobs} jobs` });
      if (src.traps) {
        const t = src.traps();
        out.push({ name: 'traps', ok: t.bound.length > 0, detail: t.error ?? `udp ${t.bound.join(', ')}` });
      }
      const d = src.dictionary();
      // a dictionary still compiling does not make netpulse unready: OIDs show numerically meanwhile
      out.push({ name: 'oid-dictionary', ok: d.state !== 'failed', detail: `${d.state}, ${d.nodes} nodes` });
      return out;
    },
  };
}
