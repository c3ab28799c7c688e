/**
 * Incremental compile of an uploaded module against an existing dictionary.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Dictionary } from './dictionary.ts';
import { parseMibText } from './parser.ts';
import { resolveModules, type ExternalScope } from './resolver.ts';
import type { MibError, MibNode, MibType, ModuleSummary, ParsedModule } from './types.ts';

export function summarize(mods: ParsedModule[], nodes: MibNode[], types: MibType[]): ModuleSummary[] {
  const nodeCount = new Map<string, number>();
  // an index loop: run once per compile, mostly before V8 optimises it, a for-of allocates per node
  for (let i = 0; i < nodes.length; i++) {
    const m = nodes[i].module;
    nodeCount.set(m, (nodeCount.get(m) ?? 0) + 1);
  }
  const typeCount = new Map<string, number>();
  for (const t of types) typeCount.set(t.module, (typeCount.get(t.module) ?? 0) + 1);
  const seen = new Set<string>();
  return mods.map((m) => {
    const dup = seen.has(m.name);
    seen.add(m.name);
    return {
      name: m.name, file: m.file, nodes: dup ? 0 : nodeCount.get(m.name) ?? 0, types: dup ? 0 : typeCount.get(m.name) ?? 0,
      errors: m.errors, imports: m.importedModules,
    };
  });
}

/** the scope an uploaded module resolves against: the existing dictionary */
export function dictionaryScope(dict: Dictionary): ExternalScope {
  return {
    oid: (module, name) => dict.findNode(`${module}::${name}`)?.oid,
    oidByName: (name) => {
      const n = dict.findNode(name);
      return n && !/^\d/.test(name) ? { module: n.module, oid: n.oid } : undefined;
    },
    type: (module, name) => dict.findType(`${module}::${name}`),
    typeByName: (name) => dict.findType(name),
  };
}

/**
 * Lookups of the resolver in a dictionary on another thread, one string each:
 * `oid\nMODULE\nname`, `oidByName\nname`, `type\nMODULE\nName`, `typeByName\nName`
 * (identifiers hold no newline), with their answers (undefined: not in the dictionary).
 */
export type LookupAnswers = [key: string, answer: unknown][];

/** a scope that answers from `known` and notes in `missing` what it was asked and does not know (answering undefined) */
function answeringScope(known: Map<string, unknown>, missing: Set<string>): ExternalScope {
  const get = <T>(key: string): T | undefined => {
    if (known.has(key)) return known.get(key) as T | undefined;
    missing.add(key);
    return undefined;
  };
  return {
    oid: (module, name) => get(`oid\n${module}\n${name}`),
    oidByName: (name) => get(`oidByName\n${name}`),
    type: (module, name) => get(`type\n${module}\n${name}`),
    typeByName: (name) => get(`typeByName\n${name}`),
  };
}

/** answers lookup keys (see `LookupAnswers`) from `dict` */
export function answerLookups(dict: Dictionary, keys: string[]): LookupAnswers {
  const scope = dictionaryScope(dict);
  return keys.map((key) => {
    const [kind, a, b] = key.split('\n');
    const answer = kind === 'oid' ? scope.oid(a, b) : kind === 'oidByName' ? scope.oidByName(a)
      : kind === 'type' ? scope.type(a, b) : kind === 'typeByName' ? scope.typeByName(a) : undefined;
    return [key, answer];
  });
}

export interface AddModuleResult {
  ok: boolean;
  /** modules the text declared */
  modules: string[];
  errors: MibError[];
  /** nodes added */
  nodes: number;
  /** the upload compiles but could not be saved (the server's fault, not the module's): the error code, and what failed naming the file */
  saveError?: { code?: string; detail: string };
}

/** what parsing an upload yields: its modules and the file-level errors (a parser crash is one error) */
export interface ParsedUpload {
  modules: ParsedModule[];
  errors: MibError[];
}

/** The expensive half of an upload (lexing and parsing); pure, so it can run in a worker thread. */
export function parseUpload(text: string, file = '<upload>'): ParsedUpload {
  try {
    return parseMibText(text, file);
  } catch (e) {
    return { modules: [], errors: [{ file, line: 0, severity: 'error', message: `parser failure: ${(e as Error).message}` }] };
  }
}

/** an upload resolved against a dictionary: the modules it declares, what they add, every error and warning */
export interface ResolvedUpload {
  modules: string[];
  nodes: MibNode[];
  types: MibType[];
  summaries: ModuleSummary[];
  errors: MibError[];
}

/** resolves `parsed` (from `parseUpload`) against `scope` */
export function resolveUpload(parsed: ParsedUpload, scope: ExternalScope, file = '<upload>'): ResolvedUpload {
  if (parsed.modules.length === 0) {
    return { modules: [], nodes: [], types: [], summaries: [], errors: parsed.errors.length ? parsed.errors : [{ file, line: 1, severity: 'error', message: 'no MIB module found' }] };
  }
  const { nodes, types } = resolveModules(parsed.modules, scope);
  const summaries = summarize(parsed.modules, nodes, types);
  return { modules: parsed.modules.map((m) => m.name), nodes, types, summaries, errors: [...parsed.errors, ...summaries.flatMap((s) => s.errors)] };
}

/**
 * `resolveUpload` where the dictionary is on another thread (the upload worker) and reached
 * through `ask`: resolves with what is known, asks for every lookup it missed, and resolves
 * again until nothing is missing (twice with today's resolver: its lookups do not depend on
 * earlier answers). The result is what resolving against that dictionary directly gives.
 */
export async function resolveUploadAsking(parsed: ParsedUpload, ask: (keys: string[]) => Promise<LookupAnswers>, file = '<upload>'): Promise<ResolvedUpload> {
  const known = new Map<string, unknown>();
  // the resolver adds its errors to the modules': each run starts from the parser's
  const parserErrors = parsed.modules.map((m) => m.errors.slice());
  for (;;) {
    const missing = new Set<string>();
    parsed.modules.forEach((m, i) => { m.errors = parserErrors[i].slice(); });
    const r = resolveUpload(parsed, answeringScope(known, missing), file);
    if (missing.size === 0) return r;
    const keys = [...missing];
    // a key left unanswered counts as not in the dictionary, so every round learns something
    for (const k of keys) known.set(k, undefined);
    for (const [k, v] of await ask(keys)) known.set(k, v);
  }
}

/** true when the upload may be added: at least one module and no error (warnings are fine) */
export function uploadCompiles(r: ResolvedUpload): boolean {
  return r.modules.length > 0 && r.errors.every((e) => e.severity === 'warning');
}

const savedName = (r: ResolvedUpload) => `${r.modules[0].replace(/[^A-Za-z0-9_-]/g, '_')}.mib`;
const notSaved = (r: ResolvedUpload, saveDir: string, e: unknown): AddModuleResult => ({
  ok: false, modules: r.modules, nodes: 0, errors: r.errors, saveError: { code: (e as NodeJS.ErrnoException).code, detail: `cannot save ${join(saveDir, savedName(r))}: ${(e as Error).message}` },
});

/**
 * Compiles an uploaded module against the existing dictionary and adds it (replacing a module
 * of the same name). On any error the dictionary is left exactly as it was.
 */
export function addModuleTo(dict: Dictionary, text: string, opts: { file?: string; saveDir?: string } = {}): AddModuleResult {
  return addParsedUpload(dict, parseUpload(text, opts.file ?? '<upload>'), text, opts);
}

/** The cheap half of an upload: resolves `parsed` (from `parseUpload(text)`) against `dict` and swaps it in; `addModuleTo` otherwise. */
function addParsedUpload(dict: Dictionary, parsed: ParsedUpload, text: string, opts: { file?: string; saveDir?: string } = {}): AddModuleResult {
  const r = resolveUpload(parsed, dictionaryScope(dict), opts.file ?? '<upload>');
  if (!uploadCompiles(r)) return { ok: false, modules: r.modules, nodes: 0, errors: r.errors };
  if (opts.saveDir) {
    try {
      mkdirSync(opts.saveDir, { recursive: true });
      writeFileSync(join(opts.saveDir, savedName(r)), text);
    } catch (e) {
      return notSaved(r, opts.saveDir, e);
    }
  }
  dict.replaceModules(r.modules, r.nodes, r.types, r.summaries);
  return { ok: true, modules: r.modules, nodes: r.nodes.length, errors: r.errors };
}

/**
 * Adds an upload resolved elsewhere (`resolveUploadAsking` in a worker) to a live dictionary:
 * saves the text, then `replaceModulesSliced` (the event loop keeps running). On any error the
 * dictionary is left exactly as it was.
 */
export async function addResolvedUpload(dict: Dictionary, r: ResolvedUpload, text: string, opts: { saveDir?: string } = {}): Promise<AddModuleResult> {
  if (!uploadCompiles(r)) return { ok: false, modules: r.modules, nodes: 0, errors: r.errors };
  if (opts.saveDir) {
    try {
      await mkdir(opts.saveDir, { recursive: true });
      await writeFile(join(opts.saveDir, savedName(r)), text);
    } catch (e) {
      return notSaved(r, opts.saveDir, e);
    }
  }
  await dict.replaceModulesSliced(r.modules, r.nodes, r.types, r.summaries);
  return { ok: true, modules: r.modules, nodes: r.nodes.length, errors: r.errors };
}

/** The name an upload declares (`FOO-MIB DEFINITIONS ::=`), looked for in its first 64 KiB without a regex over the text; for error messages. */
export function declaredModuleName(text: string): string | undefined {
  const at = text.slice(0, 65_536).indexOf('DEFINITIONS');
  if (at < 0) return undefined;
  return /([A-Za-z][A-Za-z0-9-]{0,127})\s{1,64}$/.exec(text.slice(Math.max(0, at - 200), at))?.[1];
}
