// `__proto__`, `constructor` and `prototype` keys are refused by name and never assigned (`__proto__` used to swap the object's prototype past the unknown-key check).
import { describe, expect, it } from 'vitest';
import { substituteEnv } from '../../src/config/env.ts';
import { configProblems } from './config-problems.ts';

const DEVICE = 'credentials:\n  c1: { version: 2c, community: x }\ndevices:\n  - { name: r1, address: 10.0.0.1, credentials: c1, tags: { site: a, __proto__: x } }\n';

describe('config reserved keys', () => {
  it.each([
    ['__proto__ at the top level', '__proto__:\n  api: { openReads: true }\n', ['__proto__: "__proto__" is a reserved key, not allowed in the config']],
    ['__proto__ in a section', 'api:\n  __proto__: { openReads: true }\n', ['api.__proto__: "__proto__" is a reserved key, not allowed in the config']],
    ['__proto__ among tags', DEVICE, ['devices[0].tags.__proto__: "__proto__" is a reserved key, not allowed in the config']],
    ['constructor as a credential name', 'credentials:\n  constructor: { version: 2c, community: x }\n', ['credentials.constructor: "constructor" is a reserved key, not allowed in the config']],
    ['prototype as a profile name', 'profiles:\n  prototype: { measurement: m }\n', ['profiles.prototype: "prototype" is a reserved key, not allowed in the config']],
  ])('%s is refused', (_what, yaml, problems) => {
    expect(configProblems(yaml)).toEqual(problems);
  });

  it('a reserved key is left out of the tree, so nothing reaches a prototype', () => {
    const tree = JSON.parse('{"api":{"__proto__":{"openReads":true},"listen":"127.0.0.1:1"}}');
    const problems: string[] = [];
    const out = substituteEnv(tree, {}, problems) as { api: Record<string, unknown> };
    expect(Object.getPrototypeOf(out.api)).toBe(Object.prototype);
    expect(out.api).toEqual({ listen: '127.0.0.1:1' });
    expect(out.api.openReads).toBeUndefined();
    expect(problems).toEqual(['api.__proto__: "__proto__" is a reserved key, not allowed in the config']);
  });
});
