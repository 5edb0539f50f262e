import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '../../src/app.js';
import { rowsOf } from '../../src/db/client.js';
import { categories, questions } from '../../src/db/schema.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';

/*
 * A database written before positions were unique may hold two questions in one place, or gaps.
 * Upgrading numbers them 1..n in their order before the unique index is built.
 */

let database: TestDatabase;
let firstOnly: string;
beforeAll(async () => {
  database = await openTestDatabase({ migrate: false });
  firstOnly = await mkdtemp(join(tmpdir(), 'ica-migrations-'));
  await cp(MIGRATIONS_DIR, firstOnly, { recursive: true });
  const journalPath = join(firstOnly, 'meta', '_journal.json');
  const journal = JSON.parse(await readFile(journalPath, 'utf8')) as { entries: unknown[] };
  await writeFile(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, 1) }));
});
afterAll(async () => {
  await database?.close();
  await rm(firstOnly, { recursive: true, force: true });
});

describe('upgrading to unique question positions', () => {
  it('renumbers duplicate and gapped positions in order, then enforces them', async () => {
    await database.migrate(firstOnly);
    // Written as the first schema had them: today's Drizzle schema names columns added since.
    const [category] = await database.db
      .insert(categories)
      .values({ slug: 'c', name: 'C' })
      .returning({ id: categories.id });
    const [role] = rowsOf<{ id: string }>(
      await database.db.execute(
        sql`insert into roles (slug, title, category_id, seniority, track, summary) values ('r', 'R', ${category!.id}, 'senior', 'technical', 's') returning id`,
      ),
    );
    const question = (prompt: string, position: number) => ({
      roleId: role!.id,
      position,
      prompt,
      competency: 'c',
      whyAsked: 'w',
      howToAnswer: 'h',
      difficulty: 'easy',
    });
    for (const q of [question('a', 1), question('b', 1), question('c', 4), question('d', 7)])
      await database.db.execute(
        sql`insert into questions (role_id, position, prompt, competency, why_asked, how_to_answer, difficulty) values (${q.roleId}, ${q.position}, ${q.prompt}, ${q.competency}, ${q.whyAsked}, ${q.howToAnswer}, ${q.difficulty})`,
      );

    await database.migrate(MIGRATIONS_DIR);
    const rows = await database.db
      .select({ prompt: questions.prompt, position: questions.position })
      .from(questions)
      .where(eq(questions.roleId, role!.id))
      .orderBy(asc(questions.position));
    expect(rows.map((r) => r.position)).toEqual([1, 2, 3, 4]);
    expect(rows.slice(2).map((r) => r.prompt)).toEqual(['c', 'd']);
    await expect(database.db.insert(questions).values(question('e', 2))).rejects.toThrow();
  });
});
