/**
 * Incremental compile of an uploaded module against an existing dictionary.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Dictionary } from './dictionary.ts';
import { parseMibText } from './parser.ts';
import { resolveModules, type ExternalScope } from './resolver.ts';
import type { MibError, MibNode, MibType, ModuleSummary, ParsedModule } from './types.ts';

export function summarize(mods: ParsedModule[], nodes: MibNode[], types: MibType[]): ModuleSummary[] {
  const nodeCount = new Map<string, number>();
  for (const n of nodes) nodeCount.set(n.module, (nodeCount.get(n.module) ?? 0) + 1);
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
    oid: (module, name) => dict.node(`${module}::${name}`)?.oid,
    oidByName: (name) => {
      const n = dict.node(name);
      return n && !/^\d/.test(name) ? { module: n.module, oid: n.oid } : undefined;
    },
    type: (module, name) => dict.type(`${module}::${name}`),
    typeByName: (name) => dict.type(name),
  };
}

export interface AddModuleResult {
  ok: boolean;
  /** modules the text declared */
  modules: string[];
  errors: MibError[];
  /** nodes added */
  nodes: number;
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

/**
 * Compiles an uploaded module against the existing dictionary and adds it (replacing a module
 * of the same name). On any error the dictionary is left exactly as it was.
 */
export function addModuleTo(dict: Dictionary, text: string, opts: { file?: string; saveDir?: string } = {}): AddModuleResult {
  return addParsedUpload(dict, parseUpload(text, opts.file ?? '<upload>'), text, opts);
}

/** The cheap half of an upload: resolves `parsed` (from `parseUpload(text)`) against `dict` and swaps it in; `addModuleTo` otherwise. */
export function addParsedUpload(dict: Dictionary, parsed: ParsedUpload, text: string, opts: { file?: string; saveDir?: string } = {}): AddModuleResult {
  const file = opts.file ?? '<upload>';
  const names = parsed.modules.map((m) => m.name);
  if (parsed.modules.length === 0) {
    return { ok: false, modules: [], nodes: 0, errors: parsed.errors.length ? parsed.errors : [{ file, line: 1, severity: 'error', message: 'no MIB module found' }] };
  }
  const { nodes, types } = resolveModules(parsed.modules, dictionaryScope(dict));
  const summaries = summarize(parsed.modules, nodes, types);
  const errors = [...parsed.errors, ...summaries.flatMap((s) => s.errors)];
  const fatal = errors.filter((e) => e.severity !== 'warning');
  if (fatal.length > 0) return { ok: false, modules: names, nodes: 0, errors };
  if (opts.saveDir) {
    try {
      mkdirSync(opts.saveDir, { recursive: true });
      writeFileSync(join(opts.saveDir, `${names[0].replace(/[^A-Za-z0-9_-]/g, '_')}.mib`), text);
    } catch (e) {
      return { ok: false, modules: names, nodes: 0, errors: [...errors, { file: opts.saveDir, line: 0, severity: 'error', message: `cannot save: ${(e as Error).message}` }] };
    }
  }
  dict.replaceModules(names, nodes, types, summaries);
  return { ok: true, modules: names, nodes: nodes.length, errors };
}

/** The name an upload declares (`FOO-MIB DEFINITIONS ::=`), looked for in its first 64 KiB without a regex over the text; for error messages. */
export function declaredModuleName(text: string): string | undefined {
  const at = text.slice(0, 65_536).indexOf('DEFINITIONS');
  if (at < 0) return undefined;
  return /([A-Za-z][A-Za-z0-9-]{0,127})\s{1,64}$/.exec(text.slice(Math.max(0, at - 200), at))?.[1];
}
