import type { PollProfile } from '../../model/profile.ts';
import type { ProfileDefinition } from './types.ts';
import { systemProfile } from './system.ts';
import { interfacesProfile } from './interfaces.ts';
import { hostResourcesProfile } from './host-resources.ts';
import { entityProfile } from './entity.ts';
import { resolveProfile, userProfile, type OidResolver } from './user.ts';

export type { ProfileDefinition, FetchedData, MapContext, CounterMemory, PollCounts, FetchContext } from './types.ts';
export type { OidResolver } from './user.ts';
export { SYSTEM_OIDS } from './system.ts';

export const BUILTIN_PROFILE_DEFINITIONS: Record<string, ProfileDefinition> = {
  system: systemProfile,
  interfaces: interfacesProfile,
  'host-resources': hostResourcesProfile,
  entity: entityProfile,
};

export interface ProfileRegistry {
  get(name: string): ProfileDefinition | undefined;
  names(): string[];
  /** one line per problem, e.g. an OID name the dictionary cannot resolve; such profiles are left out */
  problems: string[];
}

/** Built-ins plus the config's user profiles (a user profile of a built-in's name replaces it). */
export function buildProfileRegistry(user: PollProfile[] | Record<string, PollProfile> = [], resolve?: OidResolver): ProfileRegistry {
  const map = new Map<string, ProfileDefinition>(Object.entries(BUILTIN_PROFILE_DEFINITIONS));
  const problems: string[] = [];
  const list = Array.isArray(user) ? user : Object.entries(user).map(([name, p]) => ({ ...p, name: p.name ?? name }));
  for (const p of list) {
    const r = resolveProfile(p, resolve);
    if (r.problems.length > 0) problems.push(...r.problems);
    else map.set(p.name, userProfile(r.profile));
  }
  return { get: (n) => map.get(n), names: () => [...map.keys()], problems };
}
