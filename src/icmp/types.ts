/** Result of one ICMP check of one host (N echo requests). RTTs in milliseconds. */
export interface IcmpResult {
  /** the host as given to check() */
  host: string;
  /** the address probed (the host itself for IP literals), undefined if it did not resolve */
  address: string | undefined;
  sent: number;
  received: number;
  /** per-probe RTT in order sent, null for a lost probe (the fallback engine knows only received ones) */
  rtts: (number | null)[];
  rttMinMs: number | null;
  rttAvgMs: number | null;
  rttMaxMs: number | null;
  /** mean absolute difference of consecutive received RTTs (RFC 3550 IPDV), null with < 2 replies */
  jitterMs: number | null;
  /** 0..100 */
  lossPct: number;
  up: boolean;
  /** replies received more than once for the same probe (not counted in `received`) */
  duplicates: number;
  /** ICMP errors seen for this host, e.g. `ICMP Host Unreachable from 10.0.0.1` */
  icmpErrors: string[];
  /** why the host could not be checked at all (resolution failure, engine failure), in NetpulseError form */
  error?: string;
  /** not checked because the name's lookup waited too long for a lookup slot (a local limit): says nothing about the host */
  lookupBusy?: true;
  /** not checked to the end: the checker was closed (netpulse stopping) while its probe ran or before it began; says nothing about the host */
  cancelled?: true;
}

export interface IcmpCheckOptions {
  /** echo requests per host (fping -C), default 3 */
  count?: number;
  /** ms between probes to the same host (fping -p), default 20 */
  periodMs?: number;
  /** ms to wait for each reply (fping -t), default 500 */
  timeoutMs?: number;
  /** minimum ms between any two probes sent (fping -i), default 1 */
  sendIntervalMs?: number;
}

/** The interface the poller and the CLI use; a fake implements it in unit tests. */
export interface IcmpChecker {
  readonly engine: 'fping' | 'ping' | 'none';
  /** never rejects for per-host problems: each host gets a result, with `error` set if it could not be checked */
  check(hosts: string[], opts?: IcmpCheckOptions): Promise<Map<string, IcmpResult>>;
  /**
   * Ends the engine's child processes still running (SIGTERM, SIGKILL after a short bound) and
   * waits for them; checks under way then answer with errors. Later checks run as usual.
   */
  close?(): Promise<void>;
}

export const ICMP_DEFAULTS: Required<IcmpCheckOptions> = { count: 3, periodMs: 20, timeoutMs: 500, sendIntervalMs: 1 };
