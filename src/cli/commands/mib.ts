/** `netpulse mib compile DIR...`: compile MIB modules, print per-module errors and totals. */
import { compileMibs } from '../../mib/index.ts';
import { cacheDirFor, parseMibArgs } from '../../mib/cli-options.ts';

const USAGE = `usage: netpulse mib compile [--no-cache] [--cache-dir DIR] [--quiet] [--warnings] DIR...
  compiles every MIB module under the directories (recursively), prints each module's
  errors as FILE:LINE: MODULE: message, then totals. Exit status 1 when any module has errors.`;

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'compile') {
    process.stderr.write(`${USAGE}\n`);
    return sub === '-h' || sub === '--help' ? 0 : 1;
  }
  let args;
  try { args = parseMibArgs(rest); } catch (e) { process.stderr.write(`mib compile: ${(e as Error).message}\n`); return 1; }
  const dirs = [...args.rest, ...args.dirs];
  if (dirs.length === 0) { process.stderr.write(`${USAGE}\n`); return 1; }
  const t0 = performance.now();
  const r = compileMibs(dirs, args.noCache ? {} : { cacheDir: cacheDirFor(dirs, args.cacheDir), force: true });
  const ms = performance.now() - t0;
  const showWarnings = args.flags.has('--warnings');
  const quiet = args.flags.has('--quiet');
  let errors = 0;
  let warnings = 0;
  for (const e of r.errors) {
    const warn = e.severity === 'warning';
    if (warn) warnings++; else errors++;
    if (quiet || (warn && !showWarnings)) continue;
    process.stdout.write(`${e.file}:${e.line}: ${e.module ? e.module + ': ' : ''}${warn ? 'warning: ' : ''}${e.message}\n`);
  }
  const withErrors = r.modules.filter((m) => m.errors.some((e) => e.severity !== 'warning')).length;
  process.stdout.write(
    `${r.files} files, ${r.modules.length} modules (${withErrors} with errors), ${r.dictionary.size} nodes, ` +
    `${r.dictionary.types.length} types, ${errors} errors, ${warnings} warnings${showWarnings ? '' : ' (--warnings to list)'}, ${(ms / 1000).toFixed(2)} s\n`,
  );
  return errors > 0 ? 1 : 0;
}
