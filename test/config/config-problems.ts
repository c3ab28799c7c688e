import { expect } from 'vitest';
import { ConfigError } from '../../src/errors/index.ts';
import { parseConfig } from '../../src/config/load.ts';

/** the problems a config is refused with (fails the test when it is accepted) */
export function configProblems(yaml: string, env: Record<string, string> = {}): string[] {
  try {
    parseConfig(yaml, 'test.yaml', env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}
