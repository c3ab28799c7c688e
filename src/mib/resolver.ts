/**
 * Resolves parsed modules into dictionary nodes: OIDs by a worklist over the whole set (any
 * load order, linear time), imports with fallbacks (the imported module, then any module that
 * defines the symbol, then well-known roots), textual conventions down to their base type.
 */
import { MAX_SUB_IDS } from './search-oid.ts';
import type {
  Bound, Definition, MibError, MibNode, MibType, NamedNumber, ParsedModule, Syntax, TypeDefinition, TypeSpec,
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

/** a symbol resolved outside the parsed set: a root, a well-known node or the existing dictionary */
interface ExtRef { oid: string; module?: string; def?: undefined }

interface DefEntry {
  mod: ParsedModule;
  def: Definition;
  /** `name@line` for the second definition of a name in one module */
  localName: string;
  key?: string;
  oid?: string;
  /** definitions whose parent is this one, waiting for its OID */
  waiters?: DefEntry[];
  /** parent definition while unresolved */
  dep?: DefEntry;
  pending?: boolean;
}

const keyOf = (e: DefEntry): string => (e.key ??= `${e.mod.name}::${e.localName}`);
const ROOT_REFS = new Map<string, ExtRef>(Object.entries(ROOTS).map(([k, oid]) => [k, { oid }]));
const WELL_KNOWN_REFS = new Map<string, ExtRef>(Object.entries(WELL_KNOWN).map(([k, oid]) => [k, { oid }]));

export interface ResolveOptions {
  /**
   * make each node of its definition object instead of a copy (the caller never reads the parsed
   * modules' definitions again): a whole-corpus compile then keeps one object per node, not two
   */
  reuseDefinitions?: boolean;
}

/**
 * Its loops over definitions are index loops: it runs once per compile, mostly before V8 has
 * optimised it, where a for-of allocates an iterator result per element (15 MB a corpus compile).
 */
export function resolveModules(mods: ParsedModule[], external?: ExternalScope, opts: ResolveOptions = {}): ResolveOutput {
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

  // definitions per module (no `MODULE::name` strings on the hot path)
  const defsOf = new Map<ParsedModule, Map<string, DefEntry>>();
  const entries: DefEntry[] = [];
  const globalTypes = new Map<string, { mod: ParsedModule; t: TypeDefinition }>();
  for (const m of active) {
    const local = new Map<string, DefEntry>();
    defsOf.set(m, local);
    for (let d = 0; d < m.defs.length; d++) {
      const def = m.defs[d];
      let localName = def.name;
      if (local.has(localName)) {
        // kept as a second node of that name (as Net-SNMP does); lookups by name find the first
        m.errors.push({ file: m.file, line: def.line, module: m.name, severity: 'warning', message: `${def.name} is defined more than once in the module` });
        localName = `${localName}@${def.line}`;
        if (local.has(localName)) continue;
      }
      // every field in the literal: one object shape, no out-of-object property store per entry
      const e: DefEntry = { mod: m, def, localName, key: undefined, oid: undefined, waiters: undefined, dep: undefined, pending: false };
      local.set(localName, e);
      entries.push(e);
    }
    for (const t of m.types.values()) if (!globalTypes.has(t.name)) globalTypes.set(t.name, { mod: m, t });
  }

  // a name defined in some module but not imported (vendor files forget imports): the first
  // module, in load order, that defines it. Rare, so searched on demand instead of indexed.
  const globalDefs = new Map<string, DefEntry | undefined>();
  const globalDef = (name: string): DefEntry | undefined => {
    if (globalDefs.has(name)) return globalDefs.get(name);
    let found: DefEntry | undefined;
    for (const m of active) {
      found = defsOf.get(m)!.get(name);
      if (found) break;
    }
    globalDefs.set(name, found);
    return found;
  };

  const reportedMissing = new Set<string>();
  const lookup = (m: ParsedModule, name: string, depth = 0): DefEntry | ExtRef | undefined => {
    const local = defsOf.get(m)!.get(name);
    if (local) return local;
    const from = m.imports.get(name);
    if (from !== undefined) {
      const fm = modules.get(from);
      if (fm) {
        const there = defsOf.get(fm)!.get(name);
        if (there) return there;
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
    const root = ROOT_REFS.get(name);
    if (root) return root;
    const g = globalDef(name);
    if (g) return g;
    const ext = external?.oidByName(name);
    if (ext) return { oid: ext.oid, module: ext.module };
    return WELL_KNOWN_REFS.get(name);
  };

  const queue: DefEntry[] = [];
  const extraOf = new Map<ParsedModule, Map<string, MibNode>>();
  const extras: MibNode[] = [];

  const addExtra = (m: ParsedModule, name: string, oid: string, line: number): void => {
    if (defsOf.get(m)!.has(name)) return;
    let x = extraOf.get(m);
    if (!x) extraOf.set(m, (x = new Map()));
    if (x.has(name)) return;
    const node: MibNode = { name, oid, module: m.name, kind: 'oid-assignment', line };
    x.set(name, node);
    extras.push(node);
  };

  const tooLong = ({ def, mod }: DefEntry): void => {
    mod.errors.push({ file: mod.file, line: def.line, module: mod.name, severity: 'error', message: `${def.name}: OID longer than ${MAX_SUB_IDS} sub-identifiers (RFC 2578)` });
  };

  const finish = (e: DefEntry, base: string): void => {
    const { def, mod } = e;
    let oid = base;
    if (def.kind === 'notification' && def.trapNumber !== undefined) {
      addExtra(mod, `${def.enterprise}#`, `${base}.0`, def.line);
      oid = `${base}.0.${def.trapNumber}`;
    } else {
      const comps = def.oid!;
      // checked before any extra node is made: a hostile value of thousands of named components
      // would otherwise make thousands of ever longer OIDs (n sub-identifiers take 2n - 1 characters)
      if ((base.length + 1) / 2 + comps.length - 1 > MAX_SUB_IDS && base.split('.').length + comps.length - 1 > MAX_SUB_IDS) {
        tooLong(e);
        return;
      }
      // joined, not concatenated: `a + '.' + b` makes a cons string that every map lookup then
      // flattens into a second copy
      const parts = new Array<string>(comps.length);
      parts[0] = base;
      for (let i = 1; i < comps.length; i++) {
        const c = comps[i];
        if (c.number === undefined) {
          mod.errors.push({ file: mod.file, line: def.line, module: mod.name, severity: 'error', message: `${def.name}: OID component "${c.name}" has no number` });
          return;
        }
        parts[i] = c.number;
        if (c.name && i < comps.length - 1) addExtra(mod, c.name, parts.slice(0, i + 1).join('.'), def.line);
      }
      oid = parts.join('.');
    }
    if (oid.length > 2 * MAX_SUB_IDS - 1 && oid.split('.').length > MAX_SUB_IDS) {
      tooLong(e);
      return;
    }
    e.oid = oid;
    if (e.waiters) queue.push(e);
  };

  const pending: DefEntry[] = [];
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    const { def, mod } = e;
    let b: DefEntry | ExtRef | undefined;
    if (def.trapNumber !== undefined) {
      b = def.enterprise ? lookup(mod, def.enterprise) : undefined;
    } else {
      const first = def.oid?.[0];
      if (!first) b = undefined;
      else if (first.number !== undefined) {
        if (first.name && ROOTS[first.name] === undefined && def.oid!.length > 1) addExtra(mod, first.name, first.number, def.line);
        finish(e, first.number);
        continue;
      } else b = lookup(mod, first.name!);
    }
    if (b === undefined) {
      e.pending = true;
      pending.push(e);
    } else if (b.def === undefined) {
      finish(e, b.oid);
    } else if (b.oid !== undefined) {
      finish(e, b.oid);
    } else {
      e.pending = true;
      e.dep = b;
      pending.push(e);
      if (b.waiters) b.waiters.push(e); else b.waiters = [e];
    }
  }
  while (queue.length > 0) {
    const k = queue.pop()!;
    const ws = k.waiters;
    if (!ws) continue;
    k.waiters = undefined;
    for (let i = 0; i < ws.length; i++) {
      const e = ws[i];
      e.pending = false;
      finish(e, k.oid!);
    }
  }
  const looped = onLoops(pending);
  for (let i = 0; i < pending.length; i++) {
    const e = pending[i];
    if (!e.pending || e.oid !== undefined) continue;
    const dep = e.dep;
    const parentName = e.def.trapNumber !== undefined ? e.def.enterprise : e.def.oid?.[0]?.name;
    let message: string;
    if (dep === undefined) {
      const from = parentName ? e.mod.imports.get(parentName) : undefined;
      message = `${e.def.name}: cannot resolve parent "${parentName}"` + (from ? ` (imported from ${from})` : ' (not defined or imported)');
    } else if (looped.has(e)) {
      message = `${e.def.name}: OID loop through ${keyOf(dep).replace(/^.*::/, '')}`;
    } else {
      message = `${e.def.name}: parent ${keyOf(dep)} is unresolved`;
    }
    e.mod.errors.push({ file: e.mod.file, line: e.def.line, module: e.mod.name, severity: 'error', message });
  }

  // types
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

  /** what following a type name through its textual conventions yields (memoised: shared by every use) */
  interface Chain { base: string; tc?: string[]; displayHint?: string; enums?: NamedNumber[]; ranges?: Bound[]; sizes?: Bound[]; plain?: Syntax }
  const chains = new Map<ParsedModule, Map<string, Chain>>();
  const chainOf = (m: ParsedModule, name: string, explicitModule?: string): Chain => {
    let perModule = chains.get(m);
    if (!perModule) chains.set(m, (perModule = new Map()));
    const k = explicitModule === undefined ? name : `${explicitModule}.${name}`;
    const memo = perModule.get(k);
    if (memo) return memo;
    const out: Chain = { base: name, tc: undefined, displayHint: undefined, enums: undefined, ranges: undefined, sizes: undefined, plain: undefined };
    let cur: TypeSpec | undefined;
    let curName = name;
    let curExplicit = explicitModule;
    let curMod = m;
    const tc: string[] = [];
    for (let depth = 0; depth < 16; depth++) {
      if (BASE_TYPES.has(curName)) { out.base = curName; break; }
      const found = findType(curMod, curName, curExplicit);
      if (!found) { out.base = curName; break; }
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
      curName = cur.name;
      curExplicit = cur.module;
      curMod = tm;
      if (cur.enums) out.enums ??= cur.enums;
      if (cur.ranges) out.ranges ??= cur.ranges;
      if (cur.sizes) out.sizes ??= cur.sizes;
      if (depth === 15) out.base = cur.name;
    }
    if (tc.length > 0) out.tc = tc;
    perModule.set(k, out);
    return out;
  };

  /**
   * a node's syntax; a bare type reference (no enums, ranges or sizes of its own) gets the one
   * Syntax object of that reference, as a dictionary loaded from the cache shares them
   */
  const nodeSyntax = (m: ParsedModule, spec: TypeSpec): Syntax => {
    if (spec.enums || spec.ranges || spec.sizes || spec.of) return resolveSyntax(m, spec);
    const c = chainOf(m, spec.name, spec.module);
    return (c.plain ??= resolveSyntax(m, spec));
  };

  const resolveSyntax = (m: ParsedModule, spec: TypeSpec): Syntax => {
    const c = chainOf(m, spec.name, spec.module);
    const enums = spec.enums ?? c.enums;
    const bits = c.base === 'BITS';
    const out: Syntax = {
      type: spec.name, base: c.base, tc: c.tc, displayHint: c.displayHint,
      enums: bits ? undefined : enums, bits: bits ? enums : undefined,
      ranges: spec.ranges ?? c.ranges, sizes: spec.sizes ?? c.sizes,
    };
    if (c.base === 'SEQUENCE OF' && spec.of) out.type = `SEQUENCE OF ${spec.of}`;
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
      types.push(mt);
    }
  }

  const qualify = (m: ParsedModule, name: string): string => {
    const r = lookup(m, name);
    if (!r) return name;
    if (r.def !== undefined) return keyOf(r);
    return r.module ? `${r.module}::${name}` : name;
  };

  const nodes: MibNode[] = [];
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    const oid = e.oid;
    if (oid === undefined) continue;
    const { def, mod } = e;
    // a copy has the definition's shape (parser.ts `definition`): one shape for every node
    const node = opts.reuseDefinitions ? def : { ...def };
    nodes.push(nodeOf(node, oid, mod.name, def.syntax ? nodeSyntax(mod, def.syntax) : undefined, (name) => qualify(mod, name)));
  }
  for (let i = 0; i < extras.length; i++) nodes.push(extras[i]);
  for (const m of mods) capErrors(m);
  return { nodes, types };
}

/**
 * `def` made into its node in place: the fields they share are kept (empty strings dropped), the
 * node's own set, the parse-only ones cleared (undefined: left out of JSON)
 */
function nodeOf(def: Definition, oid: string, module: string, syntax: Syntax | undefined, qualify: (name: string) => string): MibNode {
  const index = def.index?.map((p) => ({ node: qualify(p.name), implied: p.implied }));
  const node = def as unknown as Record<keyof Definition | keyof MibNode, unknown>;
  node.oid = oid;
  node.module = module;
  node.syntax = syntax;
  node.index = index;
  node.augments = def.augments ? qualify(def.augments) : undefined;
  node.objects = def.objects?.map(qualify);
  node.access = def.access || undefined;
  node.status = def.status || undefined;
  node.units = def.units || undefined;
  node.description = def.description || undefined;
  node.reference = def.reference || undefined;
  node.enterprise = undefined;
  node.trapNumber = undefined;
  node.displayHint = undefined;
  return node as unknown as MibNode;
}

export const MAX_ERRORS_PER_MODULE = 200;

/** a pathological module reports its first errors, not millions */
function capErrors(m: ParsedModule): void {
  if (m.errors.length <= MAX_ERRORS_PER_MODULE + 1) return;
  const dropped = m.errors.length - MAX_ERRORS_PER_MODULE;
  m.errors.length = MAX_ERRORS_PER_MODULE;
  m.errors.push({ file: m.file, line: m.line, module: m.name, severity: 'error', message: `${dropped} more errors not listed` });
}

/** the unresolved entries on an OID loop: each has at most one unresolved parent, so one walk per entry in all (not one per entry each) */
function onLoops(entries: DefEntry[]): Set<DefEntry> {
  const loops = new Set<DefEntry>();
  const done = new Set<DefEntry>();
  for (let i = 0; i < entries.length; i++) {
    const start = entries[i];
    if (!start.pending || done.has(start)) continue;
    const path = new Map<DefEntry, number>();
    let cur: DefEntry | undefined = start;
    while (cur !== undefined && !done.has(cur) && !path.has(cur)) {
      path.set(cur, path.size);
      cur = cur.pending ? cur.dep : undefined;
    }
    if (cur !== undefined && path.has(cur)) {
      const at = path.get(cur)!;
      for (const [e, i] of path) if (i >= at) loops.add(e);
    }
    for (const e of path.keys()) done.add(e);
  }
  return loops;
}

export type { NamedNumber };
