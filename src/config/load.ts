import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors/index.ts';
import { substituteEnv } from './env.ts';
import { formatIssues } from './issues.ts';
import { referenceProblems } from './references.ts';
import { resolveConfig } from './resolve.ts';
import { keysAt } from './schema-keys.ts';
import { configSchema } from './schema.ts';
import type { NetpulseConfig } from './types.ts';
import { readYamlTree } from './yaml-tree.ts';

/**
 * Parses and validates config text. Throws ConfigError with one line per problem, each naming
 * the field (`devices[3].credentials: ...`) or the YAML position (`line 4, column 7: ...`).
 */
export function parseConfig(text: string, file = '', env: Record<string, string | undefined> = process.env): NetpulseConfig {
  try {
    return checkConfig(text, file, env);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    // a tree nested deeper than the checks' recursion allows (the YAML stage told its own errors)
    if (err instanceof RangeError) throw new ConfigError(file, [`(top level): cannot check the file: ${err.message.split('\n')[0]} (nested too deeply?)`]);
    throw err;
  }
}

function checkConfig(text: string, file: string, env: Record<string, string | undefined>): NetpulseConfig {
  const tree = readYamlTree(text, file) ?? {};
  if (typeof tree !== 'object' || Array.isArray(tree)) throw new ConfigError(file, ['(top level): expected a mapping of sections (credentials, devices, ...)']);

  const problems: string[] = [];
  const substituted = substituteEnv(tree, env, problems);
  const envPaths = problems.map((p) => p.slice(0, p.indexOf(': ')));
  const parsed = configSchema.safeParse(substituted, { reportInput: true });
  if (!parsed.success) {
    const lines = formatIssues(parsed.error.issues, (path) => keysAt(configSchema, path));
    // a missing variable is already reported; its empty stand-in must not add noise
    problems.push(...lines.filter((l) => !envPaths.some((p) => l.startsWith(`${p}:`))));
  }
  problems.push(...referenceProblems(substituted as Record<string, unknown>));
  if (problems.length || !parsed.success) throw new ConfigError(file, sortByPath(problems, Object.keys(tree)));
  return resolveConfig(parsed.data, file);
}

export function loadConfig(file: string, env: Record<string, string | undefined> = process.env): NetpulseConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new ConfigError(file, [e.code === 'ENOENT' ? 'file not found' : `cannot read: ${e.message}`]);
  }
  return parseConfig(text, file, env);
}

/** The config file named by `--config FILE` (already extracted by the caller) or NETPULSE_CONFIG. */
export function configPath(flag?: string, env: Record<string, string | undefined> = process.env): string | undefined {
  return flag ?? env.NETPULSE_CONFIG;
}

/** For start-up: prints every problem to stderr and exits with status 2. */
export function loadConfigOrExit(file: string | undefined): NetpulseConfig {
  const path = configPath(file);
  if (!path) {
    process.stderr.write('netpulse: no config file: use --config FILE or set NETPULSE_CONFIG\n');
    process.exit(2);
  }
  try {
    return loadConfig(path);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(formatConfigError(err));
    process.exit(2);
  }
}

export function formatConfigError(err: ConfigError): string {
  const n = err.problems.length;
  return `netpulse: config ${err.target}: ${n} problem${n === 1 ? '' : 's'}\n${err.problems.map((p) => `  ${p}\n`).join('')}`;
}

/** Problems in file order: by top-level section as written, then by list index; stable otherwise. */
function sortByPath(problems: string[], sections: string[]): string[] {
  const key = (p: string): [number, number] => {
    const m = /^([^.[:]+)(?:\[(\d+)\])?/.exec(p);
    const section = m ? sections.indexOf(m[1]) : -1;
    return [section < 0 ? sections.length : section, m?.[2] ? Number(m[2]) : -1];
  };
  return problems
    .map((p, i) => ({ p, i, k: key(p) }))
    .sort((a, b) => a.k[0] - b.k[0] || a.k[1] - b.k[1] || a.i - b.i)
    .map((x) => x.p);
}
