import type { FastifyReply } from 'fastify';
import { nameConflict, nameKey } from './errors.ts';
import { keyedLock } from './keyed-lock.ts';

/**
 * A route's guard for the writes that give an item of one kind a name (unique in any letter
 * case): `guard(reply, name, holder, write)` answers 409 when `holder()` names the entry that
 * has the name (`rule r1 is named "x"`), else runs `write()`. Check and write run one at a time
 * per name (a lock in this process), so of two racing creates of one new name the second gets
 * the 409 a sequential duplicate gets, not a second item of that name.
 */
export function nameGuard() {
  const lock = keyedLock();
  return <T>(reply: FastifyReply, name: string, holder: () => Promise<string | undefined>, write: () => Promise<T>) =>
    lock(nameKey(name), async () => {
      const other = await holder();
      return other === undefined ? write() : reply.code(409).send(nameConflict(other));
    });
}
