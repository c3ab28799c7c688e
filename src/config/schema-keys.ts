import type { z } from 'zod';

type Def = { type: string; shape?: Record<string, z.ZodType>; innerType?: z.ZodType; in?: z.ZodType; element?: z.ZodType; valueType?: z.ZodType; options?: z.ZodType[] };

/** The keys an object schema allows at `path` (for "did you mean" on unknown keys), undefined if not an object there. */
export function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] | undefined {
  const def = (schema as unknown as { _zod: { def: Def } })._zod.def;
  switch (def.type) {
    case 'optional': case 'nullable': case 'default': case 'prefault': case 'readonly': case 'catch':
      return keysAt(def.innerType!, path);
    case 'pipe':
      return keysAt(def.in!, path);
    case 'object':
      if (!path.length) return Object.keys(def.shape!);
      return def.shape![String(path[0])] ? keysAt(def.shape![String(path[0])], path.slice(1)) : undefined;
    case 'array':
      return path.length ? keysAt(def.element!, path.slice(1)) : undefined;
    case 'record':
      return path.length ? keysAt(def.valueType!, path.slice(1)) : undefined;
    case 'union':
      for (const o of def.options!) {
        const k = keysAt(o, path);
        if (k) return k;
      }
      return undefined;
    default:
      return undefined;
  }
}
