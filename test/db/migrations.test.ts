import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '../../src/app.js';
import { rowsOf } from '../../src/db/client.js';
import { categories, roleFormatSegments, roles, rounds } from '../../src/db/schema.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase({ migrate: false });
});
afterAll(() => database?.close());

async function tables(): Promise<string[]> {
  const result = await database.db.execute(
    sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
  );
  return rowsOf<{ table_name: string }>(result).map((r) => r.table_name);
}

describe('migrations', () => {
  it('build the whole schema from an empty database', async () => {
    expect(await tables()).toEqual([]);
    await database.migrate(MIGRATIONS_DIR);
    expect(await tables()).toEqual([
      'api_key_usage',
      'api_keys',
      'categories',
      'change_log',
      'question_pitfalls',
      'question_star_examples',
      'questions',
      'release_items',
      'releases',
      'revisions',
      'role_alternative_titles',
      'role_faqs',
      'role_format_segments',
      'role_related_roles',
      'role_tips',
      'roles',
      'rounds',
      'webhook_attempts',
      'webhook_deliveries',
      'webhook_keyring',
      'webhooks',
    ]);
  });

  it('can be applied again without changing anything', async () => {
    await database.migrate(MIGRATIONS_DIR);
    await database.migrate(MIGRATIONS_DIR);
    expect((await tables()).length).toBe(21);
  });

  describe('constraints', () => {
    let roleId: string;
    beforeAll(async () => {
      const [category] = await database.db.insert(categories).values({ slug: 'c', name: 'C' }).returning();
      const [role] = await database.db
        .insert(roles)
        .values({
          slug: 'r',
          title: 'R',
          categoryId: category!.id,
          seniority: 'senior',
          track: 'technical',
          summary: 's',
        })
        .returning();
      roleId = role!.id;
    });

    const rejects = async (write: () => Promise<unknown>) => {
      let failed = false;
      try {
        await write();
      } catch {
        failed = true;
      }
      expect(failed).toBe(true);
    };

    it('refuse a percent outside 0 to 100 and a negative position', async () => {
      await rejects(() =>
        database.db.insert(roleFormatSegments).values({ roleId, position: 1, label: 'x', percent: 101 }),
      );
      await rejects(() =>
        database.db.insert(roleFormatSegments).values({ roleId, position: -1, label: 'x', percent: 10 }),
      );
      await rejects(() =>
        database.db.insert(rounds).values({ roleId, position: -2, name: 'x', focus: 'f', durationMinutes: 30 }),
      );
    });

    it('refuse a duplicate slug, an unknown status or seniority, and a bad slug', async () => {
      const [category] = await database.db.select().from(categories);
      const base = { title: 'T', categoryId: category!.id, seniority: 'senior', track: 'technical', summary: 's' };
      await rejects(() => database.db.insert(roles).values({ ...base, slug: 'r' }));
      await rejects(() => database.db.insert(roles).values({ ...base, slug: 'r2', status: 'live' }));
      await rejects(() => database.db.insert(roles).values({ ...base, slug: 'r3', seniority: 'emperor' }));
      await rejects(() => database.db.insert(roles).values({ ...base, slug: 'Bad Slug' }));
    });

    it('index full-text search and keep the search document up to date', async () => {
      await database.db
        .update(roles)
        .set({ title: 'Kubernetes Wrangler' })
        .where(sql`${roles.id} = ${roleId}`);
      const found = await database.db
        .select({ slug: roles.slug })
        .from(roles)
        .where(sql`${roles.search} @@ websearch_to_tsquery('english', 'kubernetes')`);
      expect(found).toEqual([{ slug: 'r' }]);
    });
  });
});
