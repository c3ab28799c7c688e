// The warm-up modules (parsed and resolved as the MIB modules load) must keep taking the paths
// they were written for: every token kind, every macro, and the error and recovery paths.
import { describe, expect, it } from 'vitest';
import { parseMibText } from '../../src/mib/parser.ts';
import { resolveModules } from '../../src/mib/resolver.ts';
import { tokenize } from '../../src/mib/tokenizer.ts';
import { WARM_UP_TEXTS } from '../../src/mib/warm-up.ts';

describe('warm-up modules', () => {
  const parsed = WARM_UP_TEXTS.map((text) => parseMibText(text, 'warm-up'));
  const modules = parsed.flatMap((p) => p.modules);
  const { nodes } = resolveModules(modules);
  const messages = [...parsed.flatMap((p) => p.errors), ...modules.flatMap((m) => m.errors)].map((e) => e.message);

  it('hold every token kind, a character beyond latin1 and CRLF line ends', () => {
    const kinds = new Set(WARM_UP_TEXTS.flatMap((t) => tokenize(t).map((k) => k.kind)));
    expect([...kinds].sort()).toEqual(['bin', 'eof', 'hex', 'ident', 'number', 'punct', 'string']);
    expect(WARM_UP_TEXTS.some((t) => /[^\x00-\xff]/.test(t))).toBe(true);
    expect(WARM_UP_TEXTS.some((t) => t.includes('\r\n'))).toBe(true);
  });

  it('define every kind of node', () => {
    expect([...new Set(nodes.map((n) => n.kind))].sort()).toEqual([
      'agent-capabilities', 'compliance', 'group', 'module-identity', 'notification', 'object-identity', 'object-type', 'oid-assignment',
    ]);
    expect(nodes.find((n) => n.name === 'warmTrap')?.oid).toBe('1.3.6.1.4.1.4242.0.3');
    expect(nodes.find((n) => n.name === 'warmChild')?.oid).toBe('1.3.6.1.4.1.4242.2.3.1');
  });

  it('take the error and recovery paths', () => {
    for (const want of [
      'outside a module', 'read as OBJECT-TYPE', 'expected a type', 'has no "::=" before', 'defined more than once',
      'OID loop', 'cannot resolve parent', 'IMPORTS not terminated', 'no END', 'not in the search path',
    ]) expect(messages.some((m) => m.includes(want)), want).toBe(true);
  });
});
