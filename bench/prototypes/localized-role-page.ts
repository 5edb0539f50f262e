/*
 * Prototype for phase 2 of localization (docs/localization-design.md): the translation tables and
 * the one-statement role page with field-level fallback along a locale chain, on a seeded database.
 * It checks the German page is right, then times the English page as served today against the same
 * page through the localized statement (English, German, and de-CH falling back to German).
 *
 *   npx tsx bench/prototypes/localized-role-page.ts                 # PGlite in memory
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/prototypes/localized-role-page.ts
 *   EXPLAIN=de-CH,de npx tsx bench/prototypes/localized-role-page.ts   # also prints the plan for that chain
 *
 * On PostgreSQL it works in a database of its own, created and dropped here.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { inScope, roleJoins, rolePartJoins, spliceRole, textArray } from '../../src/content/json-sql.js';
import { readSeed, seed } from '../../src/content/seed.js';
import { readSeedTranslations } from '../../src/content/seed-translations.js';
import { roleTexts, translatedTexts } from '../../src/content/translation-format.js';
import { openDatabase, rowsOf, type DatabaseHandle } from '../../src/db/client.js';
import type { SqlValue } from '../../src/db/statements.js';

const RUNS = Number(process.env.RUNS ?? 2000);
const MIGRATIONS = new URL('../../migrations/', import.meta.url).pathname;

/** The phase-2 tables, as the design note gives them (a migration will create them). */
const DDL = `
create table locales (
  code text primary key,
  name text not null,
  fallbacks text[] not null default '{}',
  position integer not null,
  is_default boolean not null default false,
  search_config regconfig not null
);
create unique index locales_default_key on locales (is_default) where is_default;
create aggregate jsonb_concat_agg(jsonb) (sfunc = jsonb_concat, stype = jsonb, initcond = '{}');
create table role_translations (
  role_id uuid not null references roles(id) on delete cascade,
  locale text not null references locales(code) on delete restrict,
  status text not null default 'draft' check (status in ('draft', 'published')),
  version integer not null default 1,
  texts jsonb not null,
  source_digests jsonb not null,
  source_version integer not null,
  missing text[] not null default '{}',
  search tsvector,
  faq_search tsvector,
  published_at timestamptz,
  updated_at timestamptz not null default now(),
  updated_by text not null,
  primary key (role_id, locale)
);
create index role_translations_search_idx on role_translations using gin (search);
create table question_translations (
  question_id uuid not null references questions(id) on delete cascade,
  locale text not null references locales(code) on delete restrict,
  status text not null default 'draft' check (status in ('draft', 'published')),
  version integer not null default 1,
  texts jsonb not null,
  source_digests jsonb not null,
  source_version integer not null,
  missing text[] not null default '{}',
  search tsvector,
  published_at timestamptz,
  updated_at timestamptz not null default now(),
  updated_by text not null,
  primary key (question_id, locale)
);
create index question_translations_search_idx on question_translations using gin (search);
create table category_translations (
  category_id uuid not null references categories(id) on delete cascade,
  locale text not null references locales(code) on delete restrict,
  name text not null,
  primary key (category_id, locale)
);`;

/*
 * The localized joins. $chain is the fallback chain without the default locale ('{}' for English,
 * '{de}', '{de-CH,de}'), $tstatuses the translation statuses the caller sees. Field-level fallback:
 * the texts of every visible translation along the chain are concatenated into one JSON object,
 * from the end of the chain so the earliest locale wins each path, and each field is
 * coalesce(texts->>path, the default-locale column). jsonb_concat_agg starts from '{}', so the
 * result is a fresh value: a translation's texts are detoasted once per item, not once per field
 * (reading t.texts->>path directly did that 40 times a page and cost 5x).
 * The same lateral says which locale the item is served in (its first visible translation on the
 * chain) and which paths that translation lacks (`missing`, kept by the write path).
 */
const translated = (table: string, key: string, id: string, chain: string, tstatuses: string) =>
  `select coalesce(jsonb_concat_agg(t.texts order by l.n desc), '{}') as texts,
       (array_agg(t.locale order by l.n))[1] as locale, (array_agg(to_json(t.missing)::text order by l.n))[1] as missing
     from unnest(${chain}) with ordinality l(locale, n)
     join ${table} t on t.${key} = ${id} and t.locale = l.locale and t.status = any(${tstatuses})`;

const iso = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const list = (alias: string, orderBy: string) =>
  `coalesce('[' || string_agg(row_to_json(${alias})::text, ',' order by ${orderBy}) || ']', '[]')`;
const txt = (texts: string, path: string, fallback: string) => `coalesce(${texts}->>(${path}), ${fallback})`;

function localizedQuestionJoins(chain: string, ts: string, dflt: string) {
  return `left join rounds rd on rd.id = q.round_id
  cross join lateral (${translated('question_translations', 'question_id', 'q.id', chain, ts)}) qt
  cross join lateral (select ${list('sx', 's.position')}::json as list from question_star_examples s
    cross join lateral (select ${['situation', 'task', 'action', 'result'].map((f) => `${txt('qt.texts', `'starExamples.' || (s.position - 1) || '.${f}'`, `s.${f}`)} as ${f}`).join(', ')}) sx
    where s.question_id = q.id) st
  cross join lateral (select ${list('px', 'p.position')}::json as list from question_pitfalls p
    cross join lateral (select ${txt('qt.texts', `'pitfalls.' || (p.position - 1)`, 'p.text')} as text) px where p.question_id = q.id) pf
  cross join lateral (select r.slug, ${txt('rt.texts', `'title'`, 'r.title')} as title) qrole
  cross join lateral (select ${txt('rt.texts', `'rounds.' || (rd.position - 1) || '.name'`, 'rd.name')} as name, rd.position) qround
  cross join lateral (select q.id, coalesce(qt.locale, ${dflt}) as locale, coalesce(qt.missing::json, '[]') as "fallbackFields",
    qrole as role, case when rd.id is null then null else qround end as round, q.position,
    ${txt('qt.texts', `'prompt'`, 'q.prompt')} as prompt, ${txt('qt.texts', `'competency'`, 'q.competency')} as competency,
    ${txt('qt.texts', `'whyAsked'`, 'q.why_asked')} as "whyAsked", ${txt('qt.texts', `'howToAnswer'`, 'q.how_to_answer')} as "howToAnswer",
    q.difficulty, to_json(q.tags) as tags, st.list as "starExamples", pf.list as pitfalls, ${iso('q.updated_at')} as "updatedAt") qx`;
}

/** $1 slugs, $2 statuses, $3 scope, $4..$8 parts, $9 chain, $10 translation statuses, $11 default locale. */
const LOCALIZED_ROLE_PAGE = `select r.slug, row_to_json(head)::text as head, rounds.list as rounds, questions.list as questions,
    tips.list as tips, faqs.list as faqs, related.list as related, row_to_json(tail)::text as tail
  from roles r join categories c on c.id = r.category_id
  cross join lateral (${translated('role_translations', 'role_id', 'r.id', '$9::text[]', '$10::text[]')}) rt
  cross join lateral (select c.slug, coalesce((select ct.name from unnest($9::text[]) with ordinality l(locale, n)
    join category_translations ct on ct.category_id = c.id and ct.locale = l.locale order by l.n limit 1), c.name) as name) cat
  cross join lateral (select count(*)::int as n from questions q where q.role_id = r.id and q.status = any($2::text[])) qc
  cross join lateral (select count(*)::int as n from rounds x where x.role_id = r.id) rc
  cross join lateral (select ${list('fx', 'f.position')}::json as list from role_format_segments f
    cross join lateral (select ${txt('rt.texts', `'formatBreakdown.' || (f.position - 1) || '.label'`, 'f.label')} as label, f.percent) fx
    where f.role_id = r.id) fb
  cross join lateral (select r.slug, coalesce(rt.locale, $11::text) as locale, coalesce(rt.missing::json, '[]') as "fallbackFields",
    ${txt('rt.texts', `'title'`, 'r.title')} as title, cat as category, r.seniority, r.track,
    ${txt('rt.texts', `'summary'`, 'r.summary')} as summary, qc.n as "questionCount", rc.n as "roundCount", fb.list as "formatBreakdown") head
  cross join lateral (select ${iso('r.published_at')} as "publishedAt", ${iso('r.updated_at')} as "updatedAt") tail
  left join lateral (select case when $4::boolean then ${list('rx', 'rd.position')} end as list from rounds rd
    cross join lateral (select count(*)::int as n from questions q where q.round_id = rd.id and q.status = any($2::text[])) rq
    cross join lateral (select ${txt('rt.texts', `'rounds.' || (rd.position - 1) || '.name'`, 'rd.name')} as name, rd.position,
      ${txt('rt.texts', `'rounds.' || (rd.position - 1) || '.focus'`, 'rd.focus')} as focus, rd.duration_minutes as "durationMinutes", rq.n as "questionCount") rx
    where rd.role_id = r.id and $4::boolean) rounds on true
  left join lateral (select case when $5::boolean then ${list('qx', 'q.position, q.id')} end as list from questions q
    ${localizedQuestionJoins('$9::text[]', '$10::text[]', '$11::text')}
    where q.role_id = r.id and q.status = any($2::text[]) and $5::boolean) questions on true
  left join lateral (select case when $6::boolean then ${list('tx', 't.position')} end as list from role_tips t
    cross join lateral (select ${txt('rt.texts', `'tips.' || (t.position - 1)`, 't.text')} as text) tx where t.role_id = r.id and $6::boolean) tips on true
  left join lateral (select case when $7::boolean then ${list('ax', 'a.position')} end as list from role_faqs a
    cross join lateral (select ${txt('rt.texts', `'faqs.' || (a.position - 1) || '.question'`, 'a.question')} as question,
      ${txt('rt.texts', `'faqs.' || (a.position - 1) || '.answer'`, 'a.answer')} as answer, a.position) ax
    where a.role_id = r.id and $7::boolean) faqs on true
  left join lateral (select case when $8::boolean then ${list('lx', 'l.position')} end as list from role_related_roles l
    join roles rr on rr.id = l.related_role_id join categories rc on rc.id = rr.category_id
    cross join lateral (select rr.slug, coalesce((select t.texts->>'title' from unnest($9::text[]) with ordinality o(locale, n)
      join role_translations t on t.role_id = rr.id and t.locale = o.locale and t.status = any($10::text[])
      where t.texts ? 'title' order by o.n limit 1), rr.title) as title) lx
    where l.role_id = r.id and rr.status = any($2::text[]) and ${inScope('rc.slug', '$3::text[]')} and $8::boolean) related on true
  where r.slug = any($1::text[]) and r.status = any($2::text[]) and ${inScope('c.slug', '$3::text[]')}`;

/**
 * Questions matching $1, each in the language it is served in along the chain $2 (translation
 * statuses $3): a translation's hits count only where no earlier locale on the chain serves the
 * question, and the default-locale rows only where no locale on the chain does.
 */
const QUESTION_SEARCH = `with chain as (
    select c.locale, c.n, websearch_to_tsquery(l.search_config, $1::text) as q
    from unnest($2::text[]) with ordinality c(locale, n) join locales l on l.code = c.locale),
  base as (select l.code, websearch_to_tsquery(l.search_config, $1::text) as q from locales l where l.is_default)
  select q.id, t.locale, ts_rank(t.search, c.q) as score
    from chain c join question_translations t on t.locale = c.locale and t.status = any($3::text[]) and t.search @@ c.q
    join questions q on q.id = t.question_id and q.status = 'published'
    where not exists (select 1 from chain e join question_translations u on u.question_id = t.question_id
      and u.locale = e.locale and u.status = any($3::text[]) where e.n < c.n)
  union all
  select q.id, base.code, ts_rank(q.search, base.q)
    from questions q cross join base
    where q.search @@ base.q and q.status = 'published' and not exists (select 1 from chain e
      join question_translations u on u.question_id = q.id and u.locale = e.locale and u.status = any($3::text[]))
  order by score desc, id`;

/** Today's statement, as src/content/roles.ts builds it (without the related slugs it also returns). */
const ENGLISH_ROLE_PAGE = `select r.slug, row_to_json(head)::text as head, rounds.list as rounds, questions.list as questions,
    tips.list as tips, faqs.list as faqs, related.list as related, row_to_json(tail)::text as tail
  from roles r join categories c on c.id = r.category_id
  ${roleJoins('$2::text[]')}
  ${rolePartJoins('$2::text[]', '$3::text[]', { rounds: '$4::boolean', questions: '$5::boolean', tips: '$6::boolean', faqs: '$7::boolean', related: '$8::boolean' })}
  where r.slug = any($1::text[]) and r.status = any($2::text[]) and ${inScope('c.slug', '$3::text[]')}`;

interface PageRow {
  head: string;
  rounds: string | null;
  questions: string | null;
  tips: string | null;
  faqs: string | null;
  related: string | null;
  tail: string;
}
const page = (row: PageRow) =>
  JSON.parse(
    spliceRole(
      row.head,
      [
        ['rounds', row.rounds],
        ['questions', row.questions],
        ['tips', row.tips],
        ['faqs', row.faqs],
        ['relatedRoles', row.related],
      ],
      row.tail,
    ),
  ) as Record<string, unknown> & {
    title: string;
    questions: { prompt: string; locale: string; fallbackFields: string[] }[];
  };

const flat = (fields: { path: (string | number)[]; text: string }[]) =>
  Object.fromEntries(fields.map((f) => [f.path.join('.'), f.text]));
const md5 = (text: string) => createHash('md5').update(text).digest('hex');

async function open(): Promise<{ handle: DatabaseHandle; drop: () => Promise<void> }> {
  const server = process.env.DATABASE_URL;
  if (!server) {
    const handle = await openDatabase({});
    return { handle, drop: () => handle.close() };
  }
  const name = `locales_proto_${randomBytes(4).toString('hex')}`;
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ url: url.toString() });
  return {
    handle,
    drop: async () => {
      await handle.close();
      await admin.unsafe(`drop database ${name}`);
      await admin.end();
    },
  };
}

const { handle, drop } = await open();
try {
  await handle.migrate(MIGRATIONS);
  await seed(handle.db);
  const run = (text: string, values: SqlValue[] = []) => handle.prepared.rows<Record<string, unknown>>(text, values);
  // DDL cannot be prepared: it goes through Drizzle's plain execute.
  for (const statement of DDL.split(';').filter((s) => s.trim())) await handle.db.execute(sql.raw(statement));
  await run(`insert into locales values ('en', 'English', '{}', 1, true, 'english'), ('de', 'Deutsch', '{}', 2, false, 'german'),
    ('de-CH', 'Deutsch (Schweiz)', '{de}', 3, false, 'german'), ('es', 'Español', '{}', 4, false, 'spanish')`);

  // The seed's translations, stored as phase 2 would: one row per role or question and locale, texts by path.
  const bundle = await readSeed();
  for (const { locale, roles, categories } of await readSeedTranslations()) {
    for (const t of roles) {
      const role = bundle.roles.find((r) => r.slug === t.role)!;
      const source = flat(roleTexts(role));
      const texts = flat(translatedTexts(t));
      const own = Object.fromEntries(Object.entries(texts).filter(([k]) => !k.startsWith('questions.')));
      const digests = (keys: string[]) => JSON.stringify(Object.fromEntries(keys.map((k) => [k, md5(source[k]!)])));
      await run(
        `insert into role_translations (role_id, locale, status, texts, source_digests, source_version, updated_by)
         select id, $2, 'published', $3::jsonb, $4::jsonb, version, 'prototype' from roles where slug = $1`,
        [t.role, locale, JSON.stringify(own), digests(Object.keys(own))],
      );
      for (const [id, q] of Object.entries(t.questions)) {
        const prefix = `questions.${id}.`;
        const qTexts = Object.fromEntries(
          Object.entries(texts)
            .filter(([k]) => k.startsWith(prefix))
            .map(([k, v]) => [k.slice(prefix.length), v]),
        );
        await run(
          `insert into question_translations (question_id, locale, status, texts, source_digests, source_version, updated_by)
           select id, $2, $3, $4::jsonb, $5::jsonb, version, 'prototype' from questions where id = $1`,
          [
            id,
            locale,
            q.status,
            JSON.stringify(qTexts),
            JSON.stringify(Object.fromEntries(Object.keys(qTexts).map((k) => [k, md5(source[prefix + k]!)]))),
          ],
        );
      }
    }
    for (const [slug, { name }] of Object.entries(categories?.categories ?? {})) {
      await run(`insert into category_translations select id, $2, $3 from categories where slug = $1`, [
        slug,
        locale,
        name,
      ]);
    }
  }
  // One German field left out, and one German question only in draft: both must fall back.
  const [firstQuestion, secondQuestion] = bundle.roles.find((r) => r.slug === 'senior-backend-developer')!.questions;
  await run(`update role_translations set texts = texts - 'tips.6', missing = '{tips.6}' where locale = 'de'`);
  await run(`update question_translations set status = 'draft' where question_id = $1 and locale = 'de'`, [
    secondQuestion!.id,
  ]);

  const params = (chain: string[]): SqlValue[] => [
    textArray(['senior-backend-developer']),
    textArray(['published']),
    null,
    true,
    true,
    true,
    true,
    true,
    textArray(chain),
    textArray(['published']),
    'en',
  ];
  const englishParams = params([]).slice(0, 8);
  const localized = async (chain: string[]) =>
    page((await run(LOCALIZED_ROLE_PAGE, params(chain)))[0] as unknown as PageRow);

  // What the statement answers, before anything is timed.
  const en = await localized([]);
  const today = page((await run(ENGLISH_ROLE_PAGE, englishParams))[0] as unknown as PageRow);
  const strip = (p: Record<string, unknown>) =>
    JSON.parse(JSON.stringify(p, (k, v) => (k === 'locale' || k === 'fallbackFields' ? undefined : v)));
  assert.deepEqual(strip(en), today, 'with an empty chain the localized page is today’s English page');
  const de = await localized(['de']);
  const deGerman = (await readSeedTranslations())[0]!.roles[0]!;
  assert.equal(de.title, deGerman.title);
  assert.equal((de as { locale?: string }).locale, 'de');
  assert.deepEqual((de as { fallbackFields?: string[] }).fallbackFields, ['tips.6']);
  assert.equal(
    (de.tips as { text: string }[])[6]!.text,
    (today.tips as { text: string }[])[6]!.text,
    'a missing field falls back',
  );
  assert.equal(de.questions[0]!.prompt, deGerman.questions[firstQuestion!.id]!.prompt);
  assert.equal(de.questions[1]!.prompt, secondQuestion!.prompt, 'a draft translation is never served');
  assert.equal(de.questions[1]!.locale, 'en');
  assert.equal((de.category as { name: string }).name, 'Softwareentwicklung');
  const deCH = await localized(['de-CH', 'de']);
  assert.equal(deCH.title, deGerman.title, 'de-CH has no texts and falls back to de');
  const es = await localized(['es']);
  assert.equal((es.formatBreakdown as { label: string }[])[0]!.label, 'Diseño de sistemas');
  console.log('correct: English equals today’s page; German, de-CH -> de and Spanish fall back field by field');

  // Search follows the chain: each question is matched in the language it is served in, with that
  // language's configuration. The write path fills search; here one update does it.
  await run(`update question_translations t set search =
      setweight(to_tsvector(l.search_config, coalesce(t.texts->>'prompt', '')), 'A') ||
      setweight(to_tsvector(l.search_config, coalesce(t.texts->>'competency', '')), 'B') ||
      setweight(to_tsvector(l.search_config, coalesce(t.texts->>'whyAsked', '') || ' ' || coalesce(t.texts->>'howToAnswer', '')), 'D')
    from locales l where l.code = t.locale`);
  const search = async (q: string, chain: string[]) =>
    (await run(QUESTION_SEARCH, [q, textArray(chain), textArray(['published'])])) as { id: string; locale: string }[];
  const datenbanken = await search('Datenbanken', ['de']);
  const apiDesign = bundle.roles.flatMap((r) => r.questions).find((q) => q.competency === 'api design')!;
  assert.ok(
    datenbanken.some((h) => h.id === apiDesign.id && h.locale === 'de'),
    'German stems Datenbanken to Datenbank',
  );
  const englishHits = await search('Datenbanken', []);
  assert.equal(englishHits.length, 0, `English finds no German word: ${JSON.stringify(englishHits)}`);
  const rollbacks = await search('rollbacks', ['de']);
  assert.ok(
    rollbacks.some((h) => h.id === secondQuestion!.id && h.locale === 'en'),
    'served in English, searched in English',
  );
  assert.ok(
    !(await search('quarantined', ['de'])).some((h) => h.locale === 'de'),
    'German questions are not searched in English',
  );
  console.log('correct: ?locale=de&q=Datenbanken finds Datenbank; a question served in English is searched in English');

  if (process.env.EXPLAIN) {
    const literal = (v: SqlValue) =>
      v === null ? 'null' : typeof v === 'string' ? `'${v.replaceAll("'", "''")}'` : String(v);
    const values = params(process.env.EXPLAIN.split(',').filter(Boolean));
    const text = LOCALIZED_ROLE_PAGE.replace(/\$(\d+)/g, (_, n: string) => literal(values[Number(n) - 1]!));
    const plan = rowsOf<{ 'QUERY PLAN': string }>(
      await handle.db.execute(sql.raw(`explain (analyze, costs off) ${text}`)),
    );
    console.log(plan.map((r) => r['QUERY PLAN']).join('\n'));
  }

  // Timing: each statement RUNS times, interleaved so machine noise hits all alike.
  const cases: [string, string, SqlValue[]][] = [
    ['en, today’s statement', ENGLISH_ROLE_PAGE, englishParams],
    ['en, localized statement', LOCALIZED_ROLE_PAGE, params([])],
    ['de', LOCALIZED_ROLE_PAGE, params(['de'])],
    ['de-CH -> de', LOCALIZED_ROLE_PAGE, params(['de-CH', 'de'])],
  ];
  const times = cases.map(() => [] as number[]);
  for (let i = 0; i < 100; i++) for (const [, text, values] of cases) await run(text, values);
  for (let i = 0; i < RUNS; i++) {
    for (const [k, [, text, values]] of cases.entries()) {
      const start = performance.now();
      await run(text, values);
      times[k]!.push(performance.now() - start);
    }
  }
  const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)]!;
  // Each round ran every statement back to back: the median of per-round ratios holds on a busy machine.
  const paired = (k: number) =>
    pct(
      times[k]!.map((t, i) => t / times[0]![i]!),
      0.5,
    );
  console.log(`\n${handle.engine}, role page with every include, ${RUNS} rounds, statements interleaved`);
  console.log('| statement | p50 ms | p90 ms | median ratio to today |');
  console.log('|---|---|---|---|');
  for (const [k, [name]] of cases.entries()) {
    const xs = times[k]!;
    console.log(`| ${name} | ${pct(xs, 0.5).toFixed(3)} | ${pct(xs, 0.9).toFixed(3)} | ${paired(k).toFixed(2)} |`);
  }
} finally {
  await drop();
}
