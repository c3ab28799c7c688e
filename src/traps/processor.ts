import type { AlertManager } from '../alerts/manager.ts';
import type { RuleInput, RuleSet } from '../alerts/rules.ts';
import type { Sample, SampleSink } from '../model/sample.ts';
import type { TrapEvent } from './event.ts';
import type { TrapLog, TrapRecord } from './trap-log.ts';

export interface TrapProcessorOptions {
  rules?: RuleSet;
  alerts?: AlertManager;
  /** snmp_trap samples */
  sink?: SampleSink;
  log?: TrapLog;
  /** device tags for rule matching */
  deviceTags?: (device: string) => Record<string, string> | undefined;
}

export type TrapListener = (record: TrapRecord) => void;

export function toRuleInput(e: TrapEvent, deviceTags?: Record<string, string>): RuleInput {
  const extra: Record<string, string> = { version: e.version };
  if (e.community) extra.community = e.community;
  if (e.user) extra.user = e.user;
  return {
    trapOid: e.trapOid,
    trapName: e.trapName,
    source: e.source.address,
    device: e.device,
    deviceTags,
    varbinds: e.varbinds,
    time: e.receivedAt,
    extra,
  };
}

export function toSample(r: TrapRecord): Sample {
  return {
    measurement: 'snmp_trap',
    tags: { device: r.device ?? r.source.address, trap: r.trapName ?? r.trapOid, version: r.version, severity: r.severity ?? 'none' },
    fields: {
      trap_oid: r.trapOid,
      source: r.source.address,
      varbinds: JSON.stringify(r.varbinds.map((v) => ({ oid: v.oid, name: v.name, type: v.type, value: typeof v.value === 'bigint' ? v.value.toString() : v.value }))),
      count: 1n,
    },
    time: r.receivedAt,
  };
}

/**
 * What happens to an authenticated trap: rules → alerts, a snmp_trap sample, the trap log,
 * live listeners. `record` is the receiver's callback; it resolves once the trap log has it.
 */
export class TrapProcessor {
  private readonly listeners = new Set<TrapListener>();

  constructor(private readonly opts: TrapProcessorOptions) {}

  onTrap(listener: TrapListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  readonly record = (event: TrapEvent): void | Promise<void> => {
    const record: TrapRecord = { ...event, rules: [] };
    if (this.opts.rules) {
      const tags = event.device ? this.opts.deviceTags?.(event.device) : undefined;
      for (const m of this.opts.rules.evaluate(toRuleInput(event, tags))) {
        record.rules.push(m.rule.id);
        if (m.event.action === 'raise') record.severity ??= m.event.severity;
        this.opts.alerts?.handle(m.event);
      }
    }
    this.opts.sink?.write([toSample(record)]);
    for (const l of this.listeners) {
      try {
        l(record);
      } catch {
        // listeners (CLI printer, API stream) handle their own errors
      }
    }
    return this.opts.log?.append(record);
  };
}
