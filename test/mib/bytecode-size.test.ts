// bin/netpulse starts `mib compile` with --max-optimized-bytecode-size=3000: TurboFan leaves
// alone functions above 3,000 bytes of bytecode. The compile's hot functions must stay under it
// (above it they would silently run unoptimised); resolveModules, run once per compile, is the one
// meant to be over it (below it, its on-stack replacement comes back: revisit the flag).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildIsFresh, launcherNodeFlags } from '../../bin/build-fresh.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const LIMIT = Number(/--max-optimized-bytecode-size=(\d+)/.exec(launcherNodeFlags(true).join(' '))?.[1]);

/** bytecode length of each function named, as V8 prints it when the compiler's modules load (their warm-up runs them) */
function bytecodeLengths(names: string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const name of names) {
    const r = spawnSync(process.execPath, ['--print-bytecode', `--print-bytecode-filter=${name}`, '--input-type=module', '-e', `await import(${JSON.stringify(join(root, 'build', 'mib', 'compile.js'))})`], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const m = /Bytecode length: (\d+)/.exec(r.stdout);
    if (m) out.set(name, Number(m[1]));
  }
  return out;
}

describe('bytecode sizes against mib compile\'s --max-optimized-bytecode-size', () => {
  it('the hot functions are under it, resolveModules over it', { timeout: 60_000 }, () => {
    if (!buildIsFresh()) spawnSync(process.execPath, [join(root, 'bin', 'build.mjs')]);
    expect(LIMIT).toBe(3000);
    const hot = ['scan', 'sharedSlice', 'parseMacroInvocation', 'parseStatement', 'parseType', 'parseOidValue', 'parseModule', 'finish', 'lookup', 'nodeOf', 'chainOf'];
    const sizes = bytecodeLengths([...hot, 'resolveModules']);
    for (const name of hot) {
      expect(sizes.get(name), `${name} was not compiled by the warm-up`).toBeDefined();
      expect(sizes.get(name)!, name).toBeLessThan(LIMIT);
    }
    expect(sizes.get('resolveModules')!).toBeGreaterThan(LIMIT);
  });
});
