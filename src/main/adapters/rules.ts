/**
 * RulesPort: API rules are stored in the StateStore (kind `api`) and applied at once; the config
 * file's and the shipped trap rules are listed read-only (ids `config.<id>`, `default.<id>`).
 */
import { randomUUID } from 'node:crypto';
import type { Rule, RulesPort } from '../../api/services.ts';
import { NetpulseError } from '../../errors/index.ts';
import type { StateStore } from '../../storage/index.ts';
import { API_RULE_KIND, type RulesEngine } from '../rules.ts';

const readOnly = (id: string) => new NetpulseError({
  scope: 'rules', target: `rule ${id}`, reason: id.startsWith('default.') ? 'is a shipped rule; set traps.defaultRules: false to turn them off' : 'is defined in the config file; edit it there', kind: 'conflict',
});

export function rulesPort(engine: RulesEngine, state: StateStore): RulesPort {
  const fixed = (id: string) => engine.fixedRules().find((r) => r.id === id);
  const stored = (id: string): Rule | undefined => {
    const r = state.rules.get<Omit<Rule, 'id'>>(id);
    return r && r.kind === API_RULE_KIND ? { ...r.doc, id } : undefined;
  };
  return {
    list: async () => [...engine.apiRules().map(({ id, rule }) => ({ ...rule, id })), ...engine.fixedRules()],
    get: async (id) => stored(id) ?? fixed(id),
    create: async (rule) => {
      const id = randomUUID();
      engine.check(id, rule);
      state.rules.create(API_RULE_KIND, rule, id);
      engine.reload();
      return { ...rule, id };
    },
    update: async (id, rule) => {
      if (fixed(id)) throw readOnly(id);
      if (!stored(id)) throw new NetpulseError({ scope: 'rules', target: `rule ${id}`, reason: 'no such rule', kind: 'not-found' });
      engine.check(id, rule);
      state.rules.put(id, API_RULE_KIND, rule);
      engine.reload();
      return { ...rule, id };
    },
    remove: async (id) => {
      if (fixed(id)) throw readOnly(id);
      if (!stored(id)) return false;
      state.rules.remove(id);
      engine.reload();
      return true;
    },
  };
}
