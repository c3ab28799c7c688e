import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import { ConfigError } from '../../src/errors/index.ts';

const yaml = (spool: string) => `storage:
  influx:
    url: http://127.0.0.1:8086
    database: netpulse
    spool: ${spool}
`;

describe('storage.influx.spool', () => {
  it('maxBytes 0 is a config error pointing at the real switch', () => {
    let err: unknown;
    try {
      parseConfig(yaml('{ maxBytes: 0 }'), 'test.yaml', {});
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems).toEqual(['storage.influx.spool.maxBytes: must be > 0; to disable the spool set spool.enabled: false']);
  });

  it.each<[string, { enabled: boolean; maxBytes: number }]>([
    ['{}', { enabled: true, maxBytes: 100 * 1024 * 1024 }],
    ['{ enabled: false }', { enabled: false, maxBytes: 100 * 1024 * 1024 }],
    ['{ maxBytes: 4096 }', { enabled: true, maxBytes: 4096 }],
  ])('%s → %j', (spool, want) => {
    expect(parseConfig(yaml(spool), 'test.yaml', {}).storage.influx?.spool).toMatchObject(want);
  });
});
