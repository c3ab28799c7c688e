// The benchmarks run with the node flags bin/netpulse starts every command with.
import { describe, expect, it } from 'vitest';
import { productNodeFlags } from '../../bench/production-code.ts';
import { launcherNodeFlags } from '../../bin/build-fresh.mjs';

describe('productNodeFlags', () => {
  it('reads bin/netpulse\'s flags= line', () => {
    expect(productNodeFlags()).toEqual(['--openssl-legacy-provider']);
  });

  it('reads the flags bin/netpulse adds for mib compile (the snapshot is built with them)', () => {
    expect(launcherNodeFlags(true)).toEqual(['--openssl-legacy-provider', '--max-semi-space-size=1', '--initial-old-space-size=128', '--max-inlined-bytecode-size-cumulative=200', '--max-optimized-bytecode-size=3000']);
  });
});
