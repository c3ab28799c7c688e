/**
 * parseFpingOutput on stderr captured verbatim from fping 5.1 (Debian) run with the flags the
 * checker uses. Captures 2 and 3 ran in a private network namespace whose loopback was answered
 * by test/icmp/echo-responder.py (or a variant sending 3 copies), see netns-fping.sh.
 */
import { describe, expect, it } from 'vitest';
import { parseFpingOutput } from '../../src/icmp/fping-output.ts';

// fping -C 3 -a -p 20 -t 500 -i 1 127.0.0.1 ::1 127.0.0.2 fe80::1
const LOOPBACK = `127.0.0.1 : 0.044 0.050 0.038
::1       : 0.045 0.055 0.035
127.0.0.2 : 0.040 0.039 0.032
fe80::1   : - - -
`;

// netns-fping.sh -C 3 -a -p 20 -t 500 -i 1 127.0.0.1 ::1 127.0.0.9
const DUPLICATES_AND_UNREACHABLE = `127.0.0.1 : duplicate for [0], 64 bytes, 0.275 ms
::1 : duplicate for [0], 64 bytes, 0.218 ms
ICMP Host Unreachable from 127.0.0.254 for ICMP Echo sent to 127.0.0.9
127.0.0.1 : duplicate for [1], 64 bytes, 2.68 ms
::1 : duplicate for [1], 64 bytes, 0.280 ms
ICMP Host Unreachable from 127.0.0.254 for ICMP Echo sent to 127.0.0.9
127.0.0.1 : duplicate for [2], 64 bytes, 0.229 ms
::1 : duplicate for [2], 64 bytes, 0.141 ms
ICMP Host Unreachable from 127.0.0.254 for ICMP Echo sent to 127.0.0.9
127.0.0.1 : 0.265 0.246 0.208
::1       : 0.172 0.239 0.103
127.0.0.9 : - - -
`;

// fping -C 2 -a -p 50 -t 500 -i 1 127.0.0.1, every request answered three times
const TWO_DUPLICATES_PER_PROBE = `127.0.0.1 : duplicate for [0], 64 bytes, 0.285 ms
127.0.0.1 : duplicate for [0], 64 bytes, 0.291 ms
127.0.0.1 : duplicate for [1], 64 bytes, 4.22 ms
127.0.0.1 : duplicate for [1], 64 bytes, 4.22 ms
127.0.0.1 : 0.255 4.17
`;

const UNREACHABLE = 'ICMP Host Unreachable from 127.0.0.254';

describe('parseFpingOutput on captured fping 5.1 output', () => {
  it.each([
    ['loopback, padded names', LOOPBACK, ['127.0.0.1', '::1', '127.0.0.2', 'fe80::1'], {
      '127.0.0.1': { rtts: [0.044, 0.05, 0.038], duplicates: 0, icmpErrors: [], warnings: [] },
      '::1': { rtts: [0.045, 0.055, 0.035], duplicates: 0, icmpErrors: [], warnings: [] },
      '127.0.0.2': { rtts: [0.04, 0.039, 0.032], duplicates: 0, icmpErrors: [], warnings: [] },
      'fe80::1': { rtts: [null, null, null], duplicates: 0, icmpErrors: [], warnings: [] },
    }],
    ['duplicates (IPv4, IPv6) and ICMP errors in one run', DUPLICATES_AND_UNREACHABLE, ['127.0.0.1', '::1', '127.0.0.9'], {
      '127.0.0.1': { rtts: [0.265, 0.246, 0.208], duplicates: 3, icmpErrors: [], warnings: [] },
      '::1': { rtts: [0.172, 0.239, 0.103], duplicates: 3, icmpErrors: [], warnings: [] },
      '127.0.0.9': { rtts: [null, null, null], duplicates: 0, icmpErrors: [UNREACHABLE, UNREACHABLE, UNREACHABLE], warnings: [] },
    }],
    ['two duplicates per probe', TWO_DUPLICATES_PER_PROBE, ['127.0.0.1'], {
      '127.0.0.1': { rtts: [0.255, 4.17], duplicates: 4, icmpErrors: [], warnings: [] },
    }],
  ])('%s', (_name, stderr, targets, expected) => {
    const out = parseFpingOutput(stderr, targets);
    expect(Object.fromEntries(out.hosts)).toEqual(expected);
    expect(out.other).toEqual([]);
  });
});
