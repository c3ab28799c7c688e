/**
 * Resolves parsed modules into dictionary nodes: OIDs by a worklist over the whole set (any
 * load order, linear time), imports with fallbacks (the imported module, then any module that
 * defines the symbol, then well-known roots), textual conventions down to their base type.
 */
import { MAX_SUB_IDS } from '../model/oid-arc.ts';
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
interface ExtRef { oid: string; module?: string }

/**
 * A lookup's answer as a number: an entry (a definition) is its index, `NONE` is nothing found,
 * and an external reference `k` (`refs[k]`) is `-2 - k`: no object per answer.
 */
const NONE = -1;
const refOf = (k: number): number => -2 - k;
const ROOT_NAMES = Object.keys(ROOTS);
/** `ROOTS` then `WELL_KNOWN`, the first references of every resolve */
const FIXED_REFS: ExtRef[] = [...Object.values(ROOTS), ...Object.values(WELL_KNOWN)].map((oid) => ({ oid }));
const ROOT_REF = new Map<string, number>(ROOT_NAMES.map((k, i) => [k, refOf(i)]));
const WELL_KNOWN_REF = new Map<string, number>(Object.keys(WELL_KNOWN).map((k, i) => [k, refOf(ROOT_NAMES.length + i)]));

export interface ResolveOptions {
  /**
   * make each node of its definition object instead of a copy (the caller never reads the parsed
   * modules' definitions again): a whole-corpus compile then keeps one object per node, not two
   */
  reuseDefinitions?: boolean;
}

/**
 * Definitions are entries numbered in load order; what the OID worklist keeps of each (module,
 * OID, parent waited for, waiters) is held in arrays indexed by that number, not in an object per
 * entry: a whole-corpus compile resolves 79,000 of them, and the objects, living through many
 * young-generation collections, were copied by each.
 * Its loops are index loops: it runs once per compile, mostly before V8 has optimised it, where
 * a for-of allocates an iterator result per element.
 */
export function resolveModules(mods: ParsedModule[], external?: ExternalScope, opts: ResolveOptions = {}): ResolveOutput {
  const modules = new Map<string, ParsedModule>();
  const moduleIndex = new Map<string, number>();
  const active: ParsedModule[] = [];
  let total = 0;
  for (const m of mods) {
    const prev = modules.get(m.name);
    if (prev) {
      m.errors.push({ file: m.file, line: m.line, module: m.name, severity: 'warning', message: `module ${m.name} is also defined in ${prev.file}; this copy is ignored` });
      continue;
    }
    modules.set(m.name, m);
    moduleIndex.set(m.name, active.length);
    active.push(m);
    total += m.defs.length;
  }

  // entries: per module, its names' entry numbers (no `MODULE::name` strings on the hot path)
  const defs = new Array<Definition>(total);
  const modOf = new Int32Array(total);
  const localOf: Map<string, number>[] = [];
  /** `name@line` of the second definition of a name in one module */
  const dupName = new Map<number, string>();
  const globalTypes = new Map<string, { mod: ParsedModule; t: TypeDefinition }>();
  let n = 0;
  for (let mi = 0; mi < active.length; mi++) {
    const m = active[mi];
    const local = new Map<string, number>();
    localOf.push(local);
    for (let d = 0; d < m.defs.length; d++) {
      const def = m.defs[d];
      if (local.get(def.name) !== undefined) {
        // kept as a second node of that name (as Net-SNMP does); lookups by name find the first
        m.errors.push({ file: m.file, line: def.line, module: m.name, severity: 'warning', message: `${def.name} is defined more than once in the module` });
        const localName = `${def.name}@${def.line}`;
        if (local.has(localName)) continue;
        local.set(localName, n);
        dupName.set(n, localName);
      } else {
        local.set(def.name, n);
      }
      defs[n] = def;
      modOf[n] = mi;
      n++;
    }
    for (const t of m.types.values()) if (!globalTypes.has(t.name)) globalTypes.set(t.name, { mod: m, t });
  }

  const refs: ExtRef[] = FIXED_REFS.slice();
  const externalRef = (oid: string, module: string): number => {
    refs.push({ oid, module });
    return refOf(refs.length - 1);
  };

  // a name defined in some module but not imported (vendor files forget imports): the first
  // module, in load order, that defines it. Rare, so searched on demand instead of indexed.
  const globalDefs = new Map<string, number>();
  const globalDef = (name: string): number => {
    const memo = globalDefs.get(name);
    if (memo !== undefined) return memo;
    let found = NONE;
    for (let mi = 0; mi < active.length; mi++) {
      const e = localOf[mi].get(name);
      if (e !== undefined) { found = e; break; }
    }
    globalDefs.set(name, found);
    return found;
  };

  const reportedMissing = new Set<string>();
  const lookup = (mi: number, name: string, depth = 0): number => {
    const local = localOf[mi].get(name);
    if (local !== undefined) return local;
    const m = active[mi];
    const from = m.imports.get(name);
    if (from !== undefined) {
      const fmi = moduleIndex.get(from);
      if (fmi !== undefined) {
        const there = localOf[fmi].get(name);
        if (there !== undefined) return there;
        if (depth < 4 && active[fmi].imports.has(name)) {
          const r = lookup(fmi, name, depth + 1);
          if (r !== NONE) return r;
        }
      } else {
        const ext = external?.oid(from, name);
        if (ext !== undefined) return externalRef(ext, from);
        if (!reportedMissing.has(`${m.name}>${from}`)) {
          reportedMissing.add(`${m.name}>${from}`);
          m.errors.push({ file: m.file, line: m.line, module: m.name, severity: 'warning', message: `imports from module ${from}, which is not in the search path` });
        }
      }
    }
    const root = ROOT_REF.get(name);
    if (root !== undefined) return root;
    const g = globalDef(name);
    if (g !== NONE) return g;
    const ext = external?.oidByName(name);
    if (ext) return externalRef(ext.oid, ext.module);
    return WELL_KNOWN_REF.get(name) ?? NONE;
  };

  const keys = new Array<string | undefined>(n);
  const keyOf = (e: number): string => (keys[e] ??= `${active[modOf[e]].name}::${dupName.get(e) ?? defs[e].name}`);

  const extraOf = new Array<Map<string, MibNode> | undefined>(active.length);
  const extras: MibNode[] = [];
  const addExtra = (mi: number, name: string, oid: string, line: number): void => {
    if (localOf[mi].has(name)) return;
    let x = extraOf[mi];
    if (!x) extraOf[mi] = x = new Map();
    if (x.has(name)) return;
    const node: MibNode = { name, oid, module: active[mi].name, kind: 'oid-assignment', line };
    x.set(name, node);
    extras.push(node);
  };

  const oidOf = new Array<string | undefined>(n);
  /** the entry whose OID an entry waits for (NONE: none), and the waiters of each entry, a list in arrival order */
  const depOf = new Int32Array(n).fill(NONE);
  const waitHead = new Int32Array(n).fill(NONE);
  const waitTail = new Int32Array(n);
  const waitNext = new Int32Array(n);
  const pending = new Uint8Array(n);
  const pendingList: number[] = [];
  const queue = new Int32Array(n);
  let queued = 0;

  const tooLong = (e: number): void => {
    const def = defs[e];
    const mod = active[modOf[e]];
    mod.errors.push({ file: mod.file, line: def.line, module: mod.name, severity: 'error', message: `${def.name}: OID longer than ${MAX_SUB_IDS} sub-identifiers (RFC 2578)` });
  };

  const finish = (e: number, base: string): void => {
    const def = defs[e];
    const mi = modOf[e];
    let oid = base;
    if (def.kind === 'notification' && def.trapNumber !== undefined) {
      addExtra(mi, `${def.enterprise}#`, `${base}.0`, def.line);
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
          const mod = active[mi];
          mod.errors.push({ file: mod.file, line: def.line, module: mod.name, severity: 'error', message: `${def.name}: OID component "${c.name}" has no number` });
          return;
        }
        parts[i] = c.number;
        if (c.name && i < comps.length - 1) addExtra(mi, c.name, parts.slice(0, i + 1).join('.'), def.line);
      }
      oid = parts.join('.');
    }
    if (oid.length > 2 * MAX_SUB_IDS - 1 && oid.split('.').length > MAX_SUB_IDS) {
      tooLong(e);
      return;
    }
    oidOf[e] = oid;
    if (waitHead[e] !== NONE) queue[queued++] = e;
  };

  const wait = (e: number, b: number): void => {
    pending[e] = 1;
    pendingList.push(e);
    depOf[e] = b;
    if (waitHead[b] === NONE) waitHead[b] = e; else waitNext[waitTail[b]] = e;
    waitTail[b] = e;
    waitNext[e] = NONE;
  };

  for (let e = 0; e < n; e++) {
    const def = defs[e];
    const mi = modOf[e];
    let b: number;
    if (def.trapNumber !== undefined) {
      b = def.enterprise ? lookup(mi, def.enterprise) : NONE;
    } else {
      const first = def.oid?.[0];
      if (!first) b = NONE;
      else if (first.number !== undefined) {
        if (first.name && ROOTS[first.name] === undefined && def.oid!.length > 1) addExtra(mi, first.name, first.number, def.line);
        finish(e, first.number);
        continue;
      } else b = lookup(mi, first.name!);
    }
    if (b === NONE) {
      pending[e] = 1;
      pendingList.push(e);
    } else if (b < NONE) {
      finish(e, refs[-2 - b].oid);
    } else if (oidOf[b] !== undefined) {
      finish(e, oidOf[b]!);
    } else {
      wait(e, b);
    }
  }
  while (queued > 0) {
    const k = queue[--queued];
    let w = waitHead[k];
    if (w === NONE) continue;
    waitHead[k] = NONE;
    const oid = oidOf[k]!;
    while (w !== NONE) {
      const next = waitNext[w];
      pending[w] = 0;
      finish(w, oid);
      w = next;
    }
  }
  const looped = onLoops(pendingList, pending, depOf);
  for (let i = 0; i < pendingList.length; i++) {
    const e = pendingList[i];
    if (pending[e] === 0 || oidOf[e] !== undefined) continue;
    const def = defs[e];
    const mod = active[modOf[e]];
    const dep = depOf[e];
    const parentName = def.trapNumber !== undefined ? def.enterprise : def.oid?.[0]?.name;
    let message: string;
    if (dep === NONE) {
      const from = parentName ? mod.imports.get(parentName) : undefined;
      message = `${def.name}: cannot resolve parent "${parentName}"` + (from ? ` (imported from ${from})` : ' (not defined or imported)');
    } else if (looped[e] === 1) {
      message = `${def.name}: OID loop through ${keyOf(dep).replace(/^.*::/, '')}`;
    } else {
      message = `${def.name}: parent ${keyOf(dep)} is unresolved`;
    }
    mod.errors.push({ file: mod.file, line: def.line, module: mod.name, severity: 'error', message });
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

  const qualify = (mi: number, name: string): string => {
    const r = lookup(mi, name);
    if (r === NONE) return name;
    if (r >= 0) return keyOf(r);
    const ref = refs[-2 - r];
    return ref.module ? `${ref.module}::${name}` : name;
  };

  const nodes: MibNode[] = [];
  for (let e = 0; e < n; e++) {
    const oid = oidOf[e];
    if (oid === undefined) continue;
    const def = defs[e];
    const mi = modOf[e];
    const mod = active[mi];
    // a copy has the definition's shape (parser.ts `definition`): one shape for every node
    const node = opts.reuseDefinitions ? def : { ...def };
    nodes.push(nodeOf(node, oid, mod.name, def.syntax ? nodeSyntax(mod, def.syntax) : undefined, mi, qualify));
  }
  for (let i = 0; i < extras.length; i++) nodes.push(extras[i]);
  for (const m of mods) capErrors(m);
  return { nodes, types };
}

/**
 * `def` made into its node in place: the fields they share are kept (empty strings dropped), the
 * node's own set, the parse-only ones cleared (undefined: left out of JSON)
 */
function nodeOf(def: Definition, oid: string, module: string, syntax: Syntax | undefined, mi: number, qualify: (mi: number, name: string) => string): MibNode {
  const index = def.index?.map((p) => ({ node: qualify(mi, p.name), implied: p.implied }));
  const node = def as unknown as Record<keyof Definition | keyof MibNode, unknown>;
  node.oid = oid;
  node.module = module;
  node.syntax = syntax;
  node.index = index;
  node.augments = def.augments ? qualify(mi, def.augments) : undefined;
  node.objects = def.objects?.map((name) => qualify(mi, name));
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

/**
 * the unresolved entries on an OID loop (1 in the result): each has at most one unresolved
 * parent, so one walk per entry in all (not one per entry each)
 */
function onLoops(entries: number[], pending: Uint8Array, depOf: Int32Array): Uint8Array {
  const loops = new Uint8Array(pending.length);
  const done = new Uint8Array(pending.length);
  /** an entry's place on the current walk, plus one (0: not on it) */
  const onPath = new Int32Array(pending.length);
  const path: number[] = [];
  for (let i = 0; i < entries.length; i++) {
    const start = entries[i];
    if (pending[start] === 0 || done[start] === 1) continue;
    path.length = 0;
    let cur = start;
    while (cur !== NONE && done[cur] === 0 && onPath[cur] === 0) {
      path.push(cur);
      onPath[cur] = path.length;
      cur = pending[cur] === 1 ? depOf[cur] : NONE;
    }
    if (cur !== NONE && onPath[cur] !== 0) for (let k = onPath[cur] - 1; k < path.length; k++) loops[path[k]] = 1;
    for (let k = 0; k < path.length; k++) { done[path[k]] = 1; onPath[path[k]] = 0; }
  }
  return loops;
}

export type { NamedNumber };
