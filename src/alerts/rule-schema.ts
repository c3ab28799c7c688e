import { z } from 'zod';
import { durationAsWritten } from '../model/duration-schema.ts';
import { compileSafeRegex } from './safe-regex.ts';
import { SEVERITIES } from './types.ts';

/** a flap or rate-limit window, whose events are kept in memory for that long: at most MAX_TIMER_MS */
const duration = durationAsWritten({ min: 1 });

const patterns = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

export const ConditionSchema = z
  .strictObject({
    /** a rule var, a varbind name (ifAdminStatus, IF-MIB::ifAdminStatus) or a numeric OID prefix */
    varbind: z.string().min(1),
    op: z.enum(['eq', 'ne', 'regex', 'gt', 'ge', 'lt', 'le', 'exists', 'absent']),
    value: z.union([z.string(), z.number()]).optional(),
  })
  .superRefine((c, ctx) => {
    if (c.op !== 'exists' && c.op !== 'absent' && c.value === undefined) ctx.addIssue({ code: 'custom', message: `op "${c.op}" needs a value` });
    if (['gt', 'ge', 'lt', 'le'].includes(c.op) && !Number.isFinite(Number(c.value))) ctx.addIssue({ code: 'custom', message: `op "${c.op}" needs a numeric value` });
    if (c.op === 'regex') {
      try {
        compileSafeRegex(String(c.value));
      } catch (err) {
        ctx.addIssue({ code: 'custom', path: ['value'], message: `varbind ${c.varbind}: ${(err as Error).message}` });
      }
    }
  });

/** A trap rule: JSON-serialisable, editable in config and through the API. */
export const TrapRuleSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits, _ . : - only'),
  description: z.string().optional(),
  enabled: z.boolean().default(true),
  /** trap OID patterns, numeric or by name, `*` as wildcard: `1.3.6.1.6.3.1.1.5.3`, `IF-MIB::link*`, `1.3.6.1.4.1.9.*` */
  trap: patterns,
  /** device name glob */
  device: z.string().optional(),
  /** every listed device tag must equal */
  tags: z.record(z.string(), z.string()).optional(),
  /** names for varbinds by numeric OID prefix, so rules work without the MIB dictionary */
  vars: z.record(z.string(), z.string().regex(/^\.?\d+(\.\d+)*$/, 'numeric OID')).default({}),
  when: z.array(ConditionSchema).default([]),
  severity: z.enum(SEVERITIES).default('warning'),
  message: z.string().default('{device} {trap}'),
  /** dedup key template; the rule id is prefixed */
  key: z.string().default('{device}'),
  /** a trap matching these clears the alert whose key renders the same from it */
  clearedBy: z
    .union([patterns, z.strictObject({ trap: patterns, when: z.array(ConditionSchema).default([]) })])
    .optional(),
  /** N state changes of one key within `window` mark it flapping and hold notifications */
  flap: z.strictObject({ count: z.number().int().min(2), window: duration }).optional(),
  /** at most `count` notifications per `per` for this rule; the rest are counted */
  rateLimit: z.strictObject({ count: z.number().int().min(1), per: duration }).optional(),
  /** notification channel names (in addition to severity routes) */
  notify: z.array(z.string()).optional(),
  /** keep evaluating later rules after this one raised */
  continue: z.boolean().default(false),
});

export type TrapRule = z.output<typeof TrapRuleSchema>;
export type TrapRuleInput = z.input<typeof TrapRuleSchema>;
export type Condition = z.output<typeof ConditionSchema>;

/** Threshold rule on polled samples: `snmp_interface.in_errors_ps > 10 for 2 samples`. */
export const ThresholdRuleSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits, _ . : - only'),
  description: z.string().optional(),
  enabled: z.boolean().default(true),
  measurement: z.string().min(1),
  field: z.string().min(1),
  /** only samples whose tags match (values are globs) */
  tags: z.record(z.string(), z.string()).optional(),
  op: z.enum(['gt', 'ge', 'lt', 'le']),
  value: z.number(),
  /** hysteresis: clears once the value is back past this (default: `value`) */
  clearValue: z.number().optional(),
  /** consecutive breaching samples before raising */
  samples: z.number().int().min(1).default(1),
  severity: z.enum(SEVERITIES).default('warning'),
  message: z.string().default('{device} {measurement}.{field} = {value} ({op} {threshold})'),
  /** dedup key; default: the device and every tag of the sample */
  key: z.string().optional(),
  notify: z.array(z.string()).optional(),
});

export type ThresholdRule = z.output<typeof ThresholdRuleSchema>;
export type ThresholdRuleInput = z.input<typeof ThresholdRuleSchema>;

export const TrapRulesSchema = z.array(TrapRuleSchema).superRefine((rules, ctx) => {
  const seen = new Set<string>();
  rules.forEach((r, i) => {
    if (seen.has(r.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate rule id "${r.id}"` });
    seen.add(r.id);
  });
});

/** zod issues as `rules[2].when[0].value: op "gt" needs a numeric value` */
export function formatIssues(prefix: string, error: z.ZodError): string[] {
  return error.issues.map((i) => `${[prefix, ...i.path].reduce((acc: string, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), '')}: ${i.message}`);
}
