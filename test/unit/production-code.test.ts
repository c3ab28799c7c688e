// The benchmarks run with the node flags bin/netpulse starts every command with.
import { describe, expect, it } from 'vitest';
import { productNodeFlags } from '../../bench/production-code.ts';

describe('productNodeFlags', () => {
  it('reads bin/netpulse\'s flags= line', () => {
    expect(productNodeFlags()).toEqual(['--openssl-legacy-provider']);
  });
});
