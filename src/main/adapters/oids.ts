/** OidDictionaryPort over the runtime's Dictionary (read through the holder, so a background compile is picked up). */
import { basename, isAbsolute, resolve, sep } from 'node:path';
import type { MibModuleInfo, MibProblem, OidDictionaryPort, OidNode } from '../../api/services.ts';
import type { Dictionary, MibError, MibNode, ModuleSummary, Syntax } from '../../mib/index.ts';
import type { DictionaryHolder } from '../dictionary.ts';

const KINDS: Record<string, string> = {
  notification: 'notification', 'object-identity': 'identity', group: 'group', compliance: 'compliance',
  'module-identity': 'module', 'agent-capabilities': 'capabilities', 'oid-assignment': 'node', 'textual-convention': 'type',
};
const MAX_MODULE_ERRORS = 50;

function bounds(b: { min: string; max: string }[]): string {
  return b.map((x) => (x.min === x.max ? x.min : `${x.min}..${x.max}`)).join(' | ');
}

/** `DisplayString (SIZE (0..255))`, `INTEGER {up(1), down(2)}`, `SEQUENCE OF IfEntry` */
export function syntaxLabel(s: Syntax): string {
  let out = s.type;
  if (s.ranges) out += ` (${bounds(s.ranges)})`;
  if (s.sizes) out += ` (SIZE (${bounds(s.sizes)}))`;
  return out;
}

function kindOf(dict: Dictionary, n: MibNode): string {
  if (n.kind !== 'object-type') return KINDS[n.kind] ?? n.kind;
  if (n.syntax?.base === 'SEQUENCE OF') return 'table';
  if (n.index || n.augments) return 'row';
  const parent = dict.nodesAt(n.oid.slice(0, n.oid.lastIndexOf('.')));
  return parent.some((p) => p.index || p.augments) ? 'column' : 'scalar';
}

export function oidNode(dict: Dictionary, n: MibNode): OidNode {
  const enums = n.syntax?.enums ?? n.syntax?.bits;
  return {
    oid: n.oid, name: n.name, module: n.module, kind: kindOf(dict, n),
    syntax: n.syntax && syntaxLabel(n.syntax), access: n.access, status: n.status, units: n.units, description: n.description,
    indexes: n.index?.map((p) => (p.implied ? `IMPLIED ${p.node}` : p.node)), augments: n.augments, objects: n.objects,
    enums: enums && Object.fromEntries(enums.map((e) => [e.value, e.label])),
    childCount: dict.children(n.oid).length,
  };
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** a character that can begin a path in a text (where it is preceded by the start, a space, a quote or a bracket) */
const PATH_START = String.raw`(?<=^|[\s'"(\[<,])`;
/** a character that continues a path: a path in a text ends at a space, a quote, a bracket or `;` `,` */
const PATH_CHAR = String.raw`[^\s;,'"()<>]`;
const ABSOLUTE = sep === '/' ? '/' : String.raw`(?:[A-Za-z]:)?\\`;
/** a space inside a path: the next word holds a separator and is no path of its own (`/srv/my mibs/X`) */
const SPACE_IN_PATH = String.raw` (?!${ABSOLUTE})(?=[^\s;,'"()<>]*${escapeRegExp(sep)})`;
/** an absolute path of two parts at least (`/srv/x`), so a lone `/sec` or `/*` in a message is not taken for one */
const OTHER_ABSOLUTE = `${ABSOLUTE}(?:[^\\s;,'"()<>${sep === '/' ? '/' : '\\\\'}]|${SPACE_IN_PATH})+${escapeRegExp(sep)}(?:${PATH_CHAR}|${SPACE_IN_PATH})+`;

/** where a known path ends in a text: at its end, or before a space, a quote, a bracket, `;` `,` or `:` */
const KNOWN_END = String.raw`(?![^\s;,'"()<>:])`;

/**
 * the label a path under each MIB directory begins with: none when one directory is configured, else
 * the directory's name (`vendor/`), or its place in mibDirs (`mibDirs[1]/`) when two have the same name
 */
function dirLabels(mibDirs: string[], uploadLabel: string): { dir: string; label: string }[] {
  // a folder named twice: by its first place
  const firstPlace = new Map<string, number>();
  mibDirs.forEach((d, i) => { if (!firstPlace.has(resolve(d))) firstPlace.set(resolve(d), i); });
  const dirs = [...firstPlace].map(([dir, index]) => ({ dir, index, name: basename(dir) }));
  if (dirs.length < 2) return dirs.map((d) => ({ dir: d.dir, label: '' }));
  const count = new Map<string, number>();
  for (const d of [...dirs, { name: uploadLabel }]) count.set(d.name, (count.get(d.name) ?? 0) + 1);
  return dirs.map((d) => ({ dir: d.dir, label: d.name && count.get(d.name) === 1 ? `${d.name}/` : `mibDirs[${d.index}]/` }));
}

/**
 * Server paths as the API shows them: relative to the MIB directory they are under (`standard/IF-MIB.txt`),
 * after that directory's label when several are configured (`vendor/cisco/CISCO-SMI.my`), `uploaded/NAME`
 * under the upload directory, a MIB "directory" that is a file by its name, and any other absolute path by
 * its last part. `knownFiles` (the modules' files) are found in a text by exact match first, so one outside
 * every MIB directory is cut whole even when it holds a space. Applied to a module's source and to its
 * error texts (a duplicate module's warning names the other copy's file).
 */
export function mibPathShortener(mibDirs: string[], uploadDir: string, knownFiles: Iterable<string> = []): (text: string) => string {
  const roots = [{ dir: resolve(uploadDir), label: 'uploaded/' }, ...dirLabels(mibDirs, 'uploaded')]
    // the most specific first: the upload directory may lie inside a MIB directory
    .sort((a, b) => b.dir.length - a.dir.length)
    // `/` is its own prefix: no second separator
    .map((r) => ({ ...r, prefix: r.dir.endsWith(sep) ? r.dir : r.dir + sep }));
  // paths under a root are cut exactly by the root's prefix; the others are known by their whole path
  const outside = [...new Set(knownFiles)]
    .filter((f) => isAbsolute(f) && !roots.some((r) => f === r.dir || f.startsWith(r.prefix)))
    .sort((a, b) => b.length - a.length);
  // one pass over the text, so a shortened path is not shortened again by a shorter root
  // group 1: a root's prefix (a path under it continues); else a known file, a root that is a file, or any other absolute path
  const path = new RegExp(`${PATH_START}(?:(${roots.map((r) => escapeRegExp(r.prefix)).join('|')})(?=${PATH_CHAR})|${[
    ...outside.map((f) => `${escapeRegExp(f)}${KNOWN_END}`),
    ...roots.map((r) => `${escapeRegExp(r.dir)}(?!${PATH_CHAR})`),
    OTHER_ABSOLUTE,
  ].join('|')})`, 'g');
  return (text) => text.replace(path, (p, prefix?: string) => (prefix ? roots.find((r) => r.prefix === prefix)?.label ?? '' : basename(p) || p));
}

function problemText(e: MibError, shorten: (text: string) => string): string {
  return `${e.severity === 'warning' ? 'warning: ' : ''}${e.line ? `line ${e.line}: ` : ''}${shorten(e.message)}`;
}

function moduleInfo(m: ModuleSummary, shorten: (text: string) => string): MibModuleInfo {
  const errs = [...m.errors].sort((a, b) => Number(a.severity === 'warning') - Number(b.severity === 'warning'));
  const source = shorten(m.file);
  // a file outside every MIB directory (a cache compiled elsewhere): its name only
  return { name: m.name, nodeCount: m.nodes, source: isAbsolute(source) ? basename(source) : source, errors: errs.slice(0, MAX_MODULE_ERRORS).map((e) => problemText(e, shorten)) };
}

const problem = (e: MibError): MibProblem => ({ line: e.line || undefined, module: e.module, message: e.message, severity: e.severity ?? 'error' });

export function oidsPort(holder: DictionaryHolder): OidDictionaryPort {
  // the shortener knows the files of the dictionary it was made for
  let shortener: { dict: Dictionary; shorten: (text: string) => string } | undefined;
  const shortenerOf = (dict: Dictionary) => {
    if (shortener?.dict !== dict) shortener = { dict, shorten: mibPathShortener(holder.mibDirs, holder.uploadDir, dict.modules.map((m) => m.file)) };
    return shortener.shorten;
  };
  return {
    // each answer waits for the indexes it needs to be built in slices rather than building them at once
    // (the first search built the word index on the event loop: ~1 s with the shipped corpus)
    async search(q, { limit, offset }) {
      const dict = holder.current();
      await dict.prepare('browse');
      await dict.prepare('search');
      const r = dict.search(q, { limit, offset });
      return { total: r.total, items: r.hits.map((h) => oidNode(dict, h.node)) };
    },
    async node(nameOrOid) {
      const dict = holder.current();
      await dict.prepare('browse');
      let n = dict.node(nameOrOid);
      if (!n) {
        const oid = dict.resolve(nameOrOid);
        n = oid ? dict.nodeAt(oid) : undefined;
      }
      return n && oidNode(dict, n);
    },
    async children(oid) {
      const dict = holder.current();
      await dict.prepare('browse');
      return dict.children(oid).map((n) => oidNode(dict, n));
    },
    async modules() {
      const dict = holder.current();
      return dict.modules.map((m) => moduleInfo(m, shortenerOf(dict))).sort((a, b) => a.name.localeCompare(b.name));
    },
    async addModule(text) {
      const out = await holder.addUpload(text);
      if (out.kind === 'busy') return { ok: false, unavailable: out.message, retryAfterSeconds: out.retryAfterSeconds };
      if (out.kind === 'failed') return { ok: false, failed: out.message };
      const r = out.result;
      if (!r.ok) return { ok: false, errors: r.errors.filter((e) => e.severity !== 'warning').map(problem) };
      const dict = holder.current();
      const summary = dict.modules.find((m) => m.name === r.modules[0]);
      const module: MibModuleInfo = summary ? { ...moduleInfo(summary, shortenerOf(dict)), source: 'upload' } : { name: r.modules[0], nodeCount: r.nodes, source: 'upload', errors: [] };
      return { ok: true, module, warnings: r.errors.filter((e) => e.severity === 'warning').map(problem) };
    },
  };
}
