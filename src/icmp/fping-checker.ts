import { spawn, type ChildProcess } from 'node:child_process';
import { CHILD_TERM_GRACE_MS, endChildren, ENGINE_SPAWN, GROUP_STOP_SIGNALS, NOT_BY_NETPULSE, signalChild, trackChild, untrackChild } from './children.ts';
import { parseFpingOutput, type FpingHostOutput } from './fping-output.ts';
import { resolveHosts } from './resolve.ts';
import { failed, summarize, unresolved } from './stats.ts';
import { ICMP_DEFAULTS, type IcmpChecker, type IcmpCheckOptions, type IcmpResult } from './types.ts';

export interface FpingCheckerOptions {
  /** path of the fping binary, default `fping` (PATH) */
  path?: string;
  /** bytes of host arguments per fping child; far below Linux's ARG_MAX (2 MiB) */
  maxArgBytes?: number;
  /** fping children running at once when a check needs several batches */
  maxParallel?: number;
}

/** cancelled: the checker was closed before or while the batch ran (its hosts get no verdict) */
type BatchOutcome = { ok: Map<string, FpingHostOutput> } | { error: string; cancelled?: true };

/**
 * One fping child per batch of hosts, as Zabbix and LibreNMS do: fping paces the probes,
 * matches replies by sequence number and reports every probe's RTT with `-C`.
 */
export class FpingChecker implements IcmpChecker {
  readonly engine = 'fping' as const;
  private readonly path: string;
  private readonly maxArgBytes: number;
  private readonly maxParallel: number;
  /** this checker's fping children still running */
  private readonly running = new Set<ChildProcess>();
  /** bumped by close(): a check begun before it starts no more children */
  private generation = 0;

  constructor(opts: FpingCheckerOptions = {}) {
    this.path = opts.path ?? 'fping';
    this.maxArgBytes = opts.maxArgBytes ?? 64 * 1024;
    this.maxParallel = opts.maxParallel ?? 4;
  }

  async check(hosts: string[], opts: IcmpCheckOptions = {}): Promise<Map<string, IcmpResult>> {
    const o = checkOptions(opts);
    const generation = this.generation;
    const unique = [...new Set(hosts)];
    const resolved = await resolveHosts(unique);
    const results = new Map<string, IcmpResult>();
    const hostsByAddress = new Map<string, string[]>();
    for (const host of unique) {
      const r = resolved.get(host)!;
      if ('error' in r) results.set(host, unresolved(host, r));
      else hostsByAddress.set(r.address, [...(hostsByAddress.get(r.address) ?? []), host]);
    }
    const batches = splitBatches([...hostsByAddress.keys()], this.maxArgBytes);
    const outcomes = await mapLimit(batches, this.maxParallel, (batch) => this.runBatch(batch, o, generation));
    batches.forEach((batch, i) => {
      const outcome = outcomes[i];
      for (const address of batch) {
        for (const host of hostsByAddress.get(address)!) {
          results.set(host, 'error' in outcome ? batchFailed(host, address, outcome) : toResult(host, address, outcome.ok.get(address)!));
        }
      }
    });
    return new Map(hosts.map((h) => [h, results.get(h)!]));
  }

  /**
   * Ends the fping children still running (SIGTERM, then SIGKILL after termGraceMs) and waits
   * for them; checks under way when it is called start no more children, their hosts get an
   * error. Checks begun afterwards run as usual (a poller stopped and started again).
   */
  async close(termGraceMs = CHILD_TERM_GRACE_MS): Promise<void> {
    this.generation++;
    await endChildren([...this.running], termGraceMs);
  }

  private runBatch(addresses: string[], o: Required<IcmpCheckOptions>, generation: number): Promise<BatchOutcome> {
    if (generation !== this.generation) return Promise.resolve({ error: 'icmp: host %HOST%: fping: not run: the checker was closed (netpulse is stopping)', cancelled: true });
    // -a: with -C, fping 5.1 prints per-probe lines (and then drops duplicate replies unreported)
    // unless its verbose mode is off; -q turns it off but also hides ICMP errors. -a turns it off
    // alone (count mode ignores -a's own output), so stderr gets summaries, duplicates and ICMP errors.
    const args = ['-C', String(o.count), '-a', '-p', String(o.periodMs), '-t', String(o.timeoutMs), '-i', String(o.sendIntervalMs), ...addresses];
    const deadlineMs = o.count * o.periodMs + o.timeoutMs + o.count * addresses.length * o.sendIntervalMs + 10_000;
    return new Promise((resolve) => {
      // everything parsed is on stderr; stdout stays empty with -C -a
      const child = spawn(this.path, args, { ...ENGINE_SPAWN, stdio: ['ignore', 'ignore', 'pipe'] });
      trackChild(child);
      this.running.add(child);
      const forget = () => {
        untrackChild(child);
        this.running.delete(child);
      };
      child.once('exit', forget);
      const chunks: Buffer[] = [];
      let done = false;
      const finish = (outcome: BatchOutcome) => {
        forget();
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve(outcome);
      };
      const timer = setTimeout(() => {
        signalChild(child, 'SIGKILL');
        finish({ error: `icmp: host %HOST%: fping: no result within ${deadlineMs} ms (killed)` });
      }, deadlineMs);
      child.stderr.on('data', (c: Buffer) => chunks.push(c));
      child.on('error', (err: NodeJS.ErrnoException) => {
        const reason = err.code === 'ENOENT' ? `${this.path} not found (apt-get install fping)` : err.message;
        finish({ error: `icmp: host %HOST%: fping: ${reason}` });
      });
      child.on('close', (code, signal) => {
        const parsed = parseFpingOutput(Buffer.concat(chunks).toString('utf8'), addresses);
        if (code === 0 || code === 1 || code === 2) return finish({ ok: parsed.hosts });
        const closedFirst = generation !== this.generation;
        const groupStop = !closedFirst && signal !== null && GROUP_STOP_SIGNALS.has(signal);
        const cancelled = closedFirst || groupStop;
        const closed = closedFirst ? ' (the checker was closed: netpulse is stopping)' : groupStop ? ` (${NOT_BY_NETPULSE})` : '';
        const detail = parsed.other.join(' / ') || (signal ? `killed by ${signal}${closed}` : `exit status ${code}`);
        finish({ error: `icmp: host %HOST%: fping: ${detail}`, ...(cancelled ? { cancelled: true as const } : {}) });
      });
    });
  }
}

function batchFailed(host: string, address: string, outcome: { error: string; cancelled?: true }): IcmpResult {
  const result = failed(host, address, outcome.error.replace('%HOST%', host));
  if (outcome.cancelled) result.cancelled = true;
  return result;
}

function toResult(host: string, address: string, out: FpingHostOutput): IcmpResult {
  if (!out.rtts) {
    const why = out.warnings.join('; ') || 'fping printed no result for it';
    return failed(host, address, `icmp: host ${host}: fping: ${why}`);
  }
  return summarize(host, address, out.rtts, {
    duplicates: out.duplicates,
    icmpErrors: [...out.icmpErrors, ...out.warnings],
  });
}

function checkOptions(opts: IcmpCheckOptions): Required<IcmpCheckOptions> {
  const o = { ...ICMP_DEFAULTS, ...opts };
  const bad = (name: string, min: number) => {
    throw new RangeError(`icmp: options: ${name} must be an integer >= ${min}, got ${(o as Record<string, unknown>)[name]}`);
  };
  if (!Number.isInteger(o.count) || o.count < 1) bad('count', 1);
  if (!Number.isInteger(o.periodMs) || o.periodMs < 1) bad('periodMs', 1);
  if (!Number.isInteger(o.timeoutMs) || o.timeoutMs < 1) bad('timeoutMs', 1);
  if (!Number.isInteger(o.sendIntervalMs) || o.sendIntervalMs < 0) bad('sendIntervalMs', 0);
  return o;
}

/** Splits targets so each child's argument list stays under maxBytes. */
export function splitBatches(targets: string[], maxBytes: number): string[][] {
  const batches: string[][] = [];
  let current: string[] = [];
  let bytes = 0;
  for (const t of targets) {
    const size = Buffer.byteLength(t) + 1;
    if (current.length && bytes + size > maxBytes) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(t);
    bytes += size;
  }
  if (current.length) batches.push(current);
  return batches;
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
