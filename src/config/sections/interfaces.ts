/**
 * `defaults.interfaces` and `devices[].interfaces`: which interfaces the built-in `interfaces`
 * profile polls (src/poller/README.md, "Interface filters").
 */
import { z } from 'zod';
import { compileLabelPattern } from '../../alerts/label-pattern.ts';
import { IF_TYPE_NAMES, ifTypeNumber, isNoFilter, type InterfaceFilter } from '../../model/interface-filter.ts';
import { closest } from '../issues.ts';
import { nonEmpty, onOff } from '../primitives.ts';

const MAX_IF_TYPE = 2_147_483_647;
/** longer strings get no "did you mean" (its edit distance costs length × each of ~290 names) */
const MAX_SUGGEST_LENGTH = 64;

/** An IANAifType name (`softwareLoopback`, any case) or number (24) → the number. */
const ifType = () =>
  z.union([z.number(), z.string()], { error: 'expected an IANAifType name like softwareLoopback or a number like 24' }).transform((v, ctx): number => {
    const n = typeof v === 'number' ? v : ifTypeNumber(v);
    if (n !== undefined && Number.isInteger(n) && n >= 1 && n <= MAX_IF_TYPE) return n;
    const near = typeof v === 'string' && v.length <= MAX_SUGGEST_LENGTH ? closest(v, IF_TYPE_NAMES) : undefined;
    const why = typeof v === 'number' || /^\d+$/.test(v) ? `expected an IANAifType number from 1 to ${MAX_IF_TYPE}` : `unknown IANAifType "${v}"${near ? `; did you mean "${near}"?` : ''}`;
    ctx.issues.push({ code: 'custom', input: v, message: why });
    return z.NEVER;
  });

/** A glob (`Null*`) or `/regex/flags`, checked here so a bad one fails at load, not at poll time. */
const labelPattern = () =>
  nonEmpty().transform((v, ctx): string => {
    try {
      compileLabelPattern(v);
    } catch (err) {
      ctx.issues.push({ code: 'custom', input: v, message: (err as Error).message });
      return z.NEVER;
    }
    return v;
  });

const matchShape = {
  ifType: z.array(ifType()).default([]),
  ifName: z.array(labelPattern()).default([]),
  ifDescr: z.array(labelPattern()).default([]),
  ifAlias: z.array(labelPattern()).default([]),
};

export const interfaceFilterSchema = z.strictObject({
  /** when it lists anything, only interfaces matching one of its criteria are polled */
  include: z.strictObject(matchShape).prefault({}),
  /** interfaces matching any criterion are not polled (exclude wins over include) */
  exclude: z.strictObject({ ...matchShape, adminDown: onOff().default(false) }).prefault({}),
}) satisfies z.ZodType<InterfaceFilter, unknown>;

/** `defaults.interfaces`: absent when it filters nothing. */
export const defaultInterfaceFilterSchema = interfaceFilterSchema
  .optional()
  .transform((f): InterfaceFilter | undefined => (f && !isNoFilter(f) ? f : undefined));
