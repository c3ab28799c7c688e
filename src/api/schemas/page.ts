import { z } from 'zod';

/** `?limit=&offset=` of a list that answers every item unless asked for a page */
export const pageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1_000_000).optional(),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
type Page = z.output<typeof pageQuery>;

/** the items of one page (all of them without `limit` and `offset`) */
export const pageOf = <T>(items: readonly T[], { limit, offset }: Page): T[] =>
  items.slice(offset, limit === undefined ? undefined : offset + limit);

/** a list's response as documented: the body, plus the `X-Total-Count` header (@fastify/swagger reads `headers` off the response schema) */
export const withTotalCount = <T extends z.ZodType>(schema: T, what: string) => schema.meta({
  headers: { 'X-Total-Count': { type: 'integer', minimum: 0, description: `${what} in the whole list, whatever limit and offset say` } },
});
