import type { RoleInclude } from '../content/roles.js';
import type { CategoryOut, QuestionOut, RoleOut } from '../content/schemas.js';
import type { ContentService } from '../content/service.js';
import type { ReadContext } from '../content/visibility.js';
import { groupBy } from '../group-by.js';
import { Batch } from './batch.js';

export interface RolePageKey {
  slug: string;
  include: readonly RoleInclude[];
}

/**
 * The reads one GraphQL request batches, per query level: role pages (whatever parts any sibling
 * asked for, in one statement), questions by id, questions of rounds, and the category list.
 */
export function createReadBatches(content: ContentService, read: ReadContext) {
  let categories: Promise<CategoryOut[]> | undefined;
  return {
    rolePage: new Batch<RolePageKey, RoleOut | null>(async (keys) => {
      const include = new Set(keys.flatMap((k) => k.include));
      const pages = await content.graph.rolePages(read, [...new Set(keys.map((k) => k.slug))], include);
      const bySlug = new Map(pages.map((p) => [p.slug, JSON.parse(p.json) as RoleOut]));
      return keys.map((k) => bySlug.get(k.slug) ?? null);
    }),
    question: new Batch<string, QuestionOut | null>(async (ids) => {
      const found = new Map(
        (await content.graph.questionsByIds(read, [...new Set(ids)])).map((q) => [
          q.id,
          JSON.parse(q.json) as QuestionOut,
        ]),
      );
      return ids.map((id) => found.get(id) ?? null);
    }),
    roundQuestions: new Batch<{ role: string; position: number }, QuestionOut[]>(async (rounds) => {
      const byRound = groupBy(
        await content.graph.questionsOfRounds(read, rounds),
        (row) => row.round_key,
        (row) => JSON.parse(row.json) as QuestionOut,
      );
      return rounds.map((r) => byRound.get(`${r.role}/${r.position}`) ?? []);
    }),
    categories: () => (categories ??= content.listCategories(read)),
  };
}

export type ReadBatches = ReturnType<typeof createReadBatches>;
