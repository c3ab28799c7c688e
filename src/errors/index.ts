/**
 * Every netpulse error names its scope (snmp, icmp, config, storage, ...), its target
 * (an agent, a file, a field) and the cause, e.g.
 * `snmp: agent 10.0.0.1:161: walk IF-MIB::ifTable: timeout after 2 retries`.
 */
export class NetpulseError extends Error {
  readonly scope: string;
  readonly target: string;
  readonly action: string | undefined;
  readonly reason: string;
  /** machine-readable kind, e.g. 'timeout', 'auth', 'walk-loop' */
  readonly kind: string;

  constructor(opts: { scope: string; target: string; action?: string; reason: string; kind?: string; cause?: unknown }) {
    const parts = [opts.scope, opts.target];
    if (opts.action) parts.push(opts.action);
    parts.push(opts.reason);
    super(parts.join(': '), opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'NetpulseError';
    this.scope = opts.scope;
    this.target = opts.target;
    this.action = opts.action;
    this.reason = opts.reason;
    this.kind = opts.kind ?? 'error';
  }
}

export class ConfigError extends NetpulseError {
  /** one line per problem: `devices[3].credentials: unknown credential profile "core-v3"` */
  readonly problems: string[];
  constructor(file: string, problems: string[]) {
    super({ scope: 'config', target: file, reason: problems.join('; '), kind: 'config' });
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
