/**
 * Resolves parsed modules into dictionary nodes: OIDs by a worklist over the whole set (any
 * load order, linear time), imports with fallbacks (the imported module, then any module that
 * defines the symbol, then well-known roots), textual conventions down to their base type.
 */
import type {
  Definition, MibError, MibNode, MibType, NamedNumber, ParsedModule, Syntax, TypeDefinition, TypeSpec,
} from './types.ts';

/** Roots that no module defines, and the SMI nodes used when SNMPv2-SMI/RFC1155-SMI is absent. */
const ROOTS: Record<string, string> = { ccitt: '0', iso: '1', 'joint-iso-ccitt': '2' };
const WELL_KNOWN: Record<string, string> = {
  org: '1.3', dod: '1.3.6', internet: '1.3.6.1', directory: '1.3.6.1.1', mgmt: '1.3.6.1.2',
  'mib-2': '1.3.6.1.2.1', transmission: '1.3.6.1.2.1.10', experimental: '1.3.6.1.3',
  private: '1.3.6.1.4', enterprises: '1.3.6.1.4.1', security: '1.3.6.1.5', snmpV2: '1.3.6.1.6',
  snmpDomains: '1.3.6.1.6.1', snmpProxys: '1.3.6.1.6.2', snmpModules: '1.3.6.1.6.3', zeroDotZero: '0.0',
};

export const BASE_TYPES = new Set([
  'INTEGER', 'Integer32', 'Unsigned32', 'Counter32', 'Counter64', 'Gauge32', 'TimeTicks', 'IpAddress',
  'Opaque', 'OCTET STRING', 'OBJECT IDENTIFIER', 'BITS', 'NetworkAddress', 'Counter', 'Gauge',
  'SEQUENCE', 'SEQUENCE OF', 'SET', 'SET OF', 'CHOICE', 'NULL', 'BOOLEAN', 'ObjectName', 'ObjectSyntax',
]);

/** What an incremental compile (addModule) can see of the existing dictionary. */
export interface ExternalScope {
  oid(module: string, name: string): string | undefined;
  oidByName(name: string): { module: string; oid: string } | undefined;
  type(module: string, name: string): MibType | undefined;
  typeByName(name: string): MibType | undefined;
}

export interface ResolveOutput {
  nodes: MibNode[];
  types: MibType[];
}

type Ref = { key: string } | { oid: string; module?: string };

interface DefEntry { mod: ParsedModule; def: Definition; key: string }

export function resolveModules(mods: ParsedModule[], external?: ExternalScope): ResolveOutput {
  const modules = new Map<string, ParsedModule>();
  const active: ParsedModule[] = [];
  for (const m of mods) {
    const prev = modules.get(m.name);
    if (prev) {
      m.errors.push({ file: m.file, line: m.line, module: m.name, severity: 'warning', message: `module ${m.name} is also defined in ${prev.file}; this copy is ignored` });
      continue;
    }
    modules.set(m.name, m);
    active.push(m);
  }

  const defs = new Map<string, DefEntry>();
  const globalDefs = new Map<string, string>();
  const globalTypes = new Map<string, { mod: ParsedModule; t: TypeDefinition }>();
  for (const m of active) {
    for (const def of m.defs) {
      let key = `${m.name}::${def.name}`;
      if (defs.has(key)) {
        // kept as a second node of that name (as Net-SNMP does); lookups by name find the first
        m.errors.push({ file: m.file, line: def.line, module: m.name, severity: 'warning', message: `${def.name} is defined more than once in the module` });
        key = `${key}@${def.line}`;
        if (defs.has(key)) continue;
      }
      defs.set(key, { mod: m, def, key });
      if (!globalDefs.has(def.name)) globalDefs.set(def.name, key);
    }
    for (const t of m.types.values()) if (!globalTypes.has(t.name)) globalTypes.set(t.name, { mod: m, t });
  }

  const reportedMissing = new Set<string>();
  const lookup = (m: ParsedModule, name: string, depth = 0): Ref | undefined => {
    const local = `${m.name}::${name}`;
    if (defs.has(local)) return { key: local };
    const from = m.imports.get(name);
    if (from !== undefined) {
      const fm = modules.get(from);
      if (fm) {
        if (defs.has(`${from}::${name}`)) return { key: `${from}::${name}` };
        if (depth < 4 && fm.imports.has(name)) {
          const r = lookup(fm, name, depth + 1);
          if (r) return r;
        }
      } else {
        const ext = external?.oid(from, name);
        if (ext !== undefined) return { oid: ext, module: from };
        if (!reportedMissing.has(`${m.name}>${from}`)) {
          reportedMissing.add(`${m.name}>${from}`);
          m.errors.push({ file: m.file, line: m.line, module: m.name, severity: 'warning', message: `imports from module ${from}, which is not in the search path` });
        }
      }
    }
    if (ROOTS[name] !== undefined) return { oid: ROOTS[name] };
    const g = globalDefs.get(name);
    if (g) return { key: g };
    const ext = external?.oidByName(name);
    if (ext) return { oid: ext.oid, module: ext.module };
    if (WELL_KNOWN[name] !== undefined) return { oid: WELL_KNOWN[name] };
    return undefined;
  };

  const oidOf = new Map<string, string>();
  const waiters = new Map<string, DefEntry[]>();
  const queue: string[] = [];
  const extra = new Map<string, MibNode>();

  const addExtra = (m: ParsedModule, name: string, oid: string, line: number): void => {
    const k = `${m.name}::${name}`;
    if (defs.has(k) || extra.has(k)) return;
    extra.set(k, { name, oid, module: m.name, kind: 'oid-assignment', line });
  };

  const finish = (e: DefEntry, base: string): void => {
    const { def, mod } = e;
    let oid = base;
    if (def.kind === 'notification' && def.trapNumber !== undefined) {
      addExtra(mod, `${def.enterprise}#`, `${base}.0`, def.line);
      oid = `${base}.0.${def.trapNumber}`;
    } else {
      const comps = def.oid!;
      for (let i = 1; i < comps.length; i++) {
        const c = comps[i];
        if (c.number === undefined) {
          mod.errors.push({ file: mod.file, line: def.line, module: mod.name, severity: 'error', message: `${def.name}: OID component "${c.name}" has no number` });
          return;
        }
        oid += '.' + c.number;
        if (c.name && i < comps.length - 1) addExtra(mod, c.name, oid, def.line);
      }
    }
    oidOf.set(e.key, oid);
    queue.push(e.key);
  };

  const baseOf = (e: DefEntry): Ref | 'number' | undefined => {
    const { def, mod } = e;
    if (def.trapNumber !== undefined) return def.enterprise ? lookup(mod, def.enterprise) : undefined;
    const first = def.oid?.[0];
    if (!first) return undefined;
    if (first.number !== undefined) return 'number';
    return lookup(mod, first.name!);
  };

  const pendingDep = new Map<string, string | undefined>();
  for (const e of defs.values()) {
    const b = baseOf(e);
    if (b === 'number') {
      const first = e.def.oid![0];
      if (first.name && ROOTS[first.name] === undefined && e.def.oid!.length > 1) addExtra(e.mod, first.name, first.number!, e.def.line);
      finish(e, first.number!);
    } else if (b === undefined) {
      pendingDep.set(e.key, undefined);
    } else if ('oid' in b) {
      finish(e, b.oid);
    } else {
      const known = oidOf.get(b.key);
      if (known !== undefined) finish(e, known);
      else {
        pendingDep.set(e.key, b.key);
        const w = waiters.get(b.key);
        if (w) w.push(e); else waiters.set(b.key, [e]);
      }
    }
  }
  while (queue.length > 0) {
    const k = queue.pop()!;
    const ws = waiters.get(k);
    if (!ws) continue;
    waiters.delete(k);
    for (const e of ws) {
      pendingDep.delete(e.key);
      finish(e, oidOf.get(k)!);
    }
  }
  for (const [key, dep] of pendingDep) {
    if (oidOf.has(key)) continue;
    const e = defs.get(key)!;
    const parentName = e.def.trapNumber !== undefined ? e.def.enterprise : e.def.oid?.[0]?.name;
    let message: string;
    if (dep === undefined) {
      const from = parentName ? e.mod.imports.get(parentName) : undefined;
      message = `${e.def.name}: cannot resolve parent "${parentName}"` + (from ? ` (imported from ${from})` : ' (not defined or imported)');
    } else if (dependsOn(dep, key, pendingDep)) {
      message = `${e.def.name}: OID loop through ${dep.replace(/^.*::/, '')}`;
    } else {
      message = `${e.def.name}: parent ${dep} is unresolved`;
    }
    e.mod.errors.push({ file: e.mod.file, line: e.def.line, module: e.mod.name, severity: 'error', message });
  }

  // types
  const typeCache = new Map<string, MibType>();
  const findType = (m: ParsedModule, name: string, explicitModule?: string): { mod: ParsedModule; t: TypeDefinition } | MibType | undefined => {
    const where = explicitModule ? modules.get(explicitModule) : m;
    if (where) {
      const local = where.types.get(name);
      if (local) return { mod: where, t: local };
      const from = where.imports.get(name);
      if (from !== undefined) {
        const fm = modules.get(from);
        if (fm?.types.has(name)) return { mod: fm, t: fm.types.get(name)! };
        if (fm?.imports.has(name)) {
          const f2 = modules.get(fm.imports.get(name)!);
          if (f2?.types.has(name)) return { mod: f2, t: f2.types.get(name)! };
        }
        const ext = external?.type(from, name);
        if (ext) return ext;
      }
    }
    return globalTypes.get(name) ?? external?.typeByName(name);
  };

  const resolveSyntax = (m: ParsedModule, spec: TypeSpec): Syntax => {
    const out: Syntax = { type: spec.name, base: spec.name };
    if (spec.enums) out.enums = spec.enums;
    if (spec.ranges) out.ranges = spec.ranges;
    if (spec.sizes) out.sizes = spec.sizes;
    let cur = spec;
    let curMod = m;
    const tc: string[] = [];
    for (let depth = 0; depth < 16; depth++) {
      if (BASE_TYPES.has(cur.name)) { out.base = cur.name; break; }
      const found = findType(curMod, cur.name, cur.module);
      if (!found) { out.base = cur.name; break; }
      if ('syntax' in found && !('t' in found)) {
        const ext = found as MibType;
        tc.push(`${ext.module}::${ext.name}`, ...(ext.syntax.tc ?? []));
        out.base = ext.syntax.base;
        out.displayHint ??= ext.syntax.displayHint;
        out.enums ??= ext.syntax.enums ?? ext.syntax.bits;
        out.ranges ??= ext.syntax.ranges;
        out.sizes ??= ext.syntax.sizes;
        break;
      }
      const { mod: tm, t } = found as { mod: ParsedModule; t: TypeDefinition };
      tc.push(`${tm.name}::${t.name}`);
      if (t.displayHint !== undefined) out.displayHint ??= t.displayHint;
      cur = t.syntax;
      curMod = tm;
      if (cur.enums) out.enums ??= cur.enums;
      if (cur.ranges) out.ranges ??= cur.ranges;
      if (cur.sizes) out.sizes ??= cur.sizes;
      if (depth === 15) out.base = cur.name;
    }
    if (tc.length > 0) out.tc = tc;
    if (out.base === 'BITS' && out.enums) { out.bits = out.enums; delete out.enums; }
    if (out.base === 'SEQUENCE OF' && spec.of) out.type = `SEQUENCE OF ${spec.of}`;
    return out;
  };

  const types: MibType[] = [];
  for (const m of active) {
    for (const t of m.types.values()) {
      const mt: MibType = {
        name: t.name, module: m.name, textualConvention: t.textualConvention,
        syntax: resolveSyntax(m, t.syntax), file: m.file, line: t.line,
      };
      if (t.displayHint !== undefined) mt.syntax.displayHint = t.displayHint;
      if (t.status) mt.status = t.status;
      if (t.description) mt.description = t.description;
      if (t.reference) mt.reference = t.reference;
      typeCache.set(`${m.name}::${t.name}`, mt);
      types.push(mt);
    }
  }

  const qualify = (m: ParsedModule, name: string): string => {
    const r = lookup(m, name);
    if (!r) return name;
    if ('key' in r) return r.key;
    return r.module ? `${r.module}::${name}` : name;
  };

  const nodes: MibNode[] = [];
  for (const e of defs.values()) {
    const oid = oidOf.get(e.key);
    if (oid === undefined) continue;
    const { def, mod } = e;
    const node: MibNode = { name: def.name, oid, module: mod.name, kind: def.kind, line: def.line };
    if (def.syntax) node.syntax = resolveSyntax(mod, def.syntax);
    if (def.access) node.access = def.access;
    if (def.status) node.status = def.status;
    if (def.units) node.units = def.units;
    if (def.description) node.description = def.description;
    if (def.reference) node.reference = def.reference;
    if (def.index) node.index = def.index.map((p) => ({ node: qualify(mod, p.name), implied: p.implied }));
    if (def.augments) node.augments = qualify(mod, def.augments);
    if (def.objects) node.objects = def.objects.map((o) => qualify(mod, o));
    if (def.defval !== undefined) node.defval = def.defval;
    nodes.push(node);
  }
  for (const x of extra.values()) nodes.push(x);
  for (const m of mods) capErrors(m);
  return { nodes, types };
}

export const MAX_ERRORS_PER_MODULE = 200;

/** a pathological module reports its first errors, not millions */
function capErrors(m: ParsedModule): void {
  if (m.errors.length <= MAX_ERRORS_PER_MODULE + 1) return;
  const dropped = m.errors.length - MAX_ERRORS_PER_MODULE;
  m.errors.length = MAX_ERRORS_PER_MODULE;
  m.errors.push({ file: m.file, line: m.line, module: m.name, severity: 'error', message: `${dropped} more errors not listed` });
}

function dependsOn(from: string, target: string, deps: Map<string, string | undefined>): boolean {
  const seen = new Set<string>();
  let cur: string | undefined = from;
  while (cur !== undefined && !seen.has(cur)) {
    if (cur === target) return true;
    seen.add(cur);
    cur = deps.get(cur);
  }
  return false;
}

export type { NamedNumber };
