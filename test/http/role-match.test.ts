import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RoleMatchResult, single } from '../../src/content/schemas.js';
import { adminEnv, roleInput, send } from '../helpers/admin.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { gql } from '../helpers/graphql.js';
import { expectProblem, get, getOk } from '../helpers/http.js';
import { createPartnerKey, getWith } from '../helpers/partners.js';

/* GET /v1/roles/match and GraphQL roleMatches: from a job ad's title to the roles it names. */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: adminEnv });
});
afterAll(() => t?.close());

const url = (title: string, extra = '') => `/v1/roles/match?title=${encodeURIComponent(title)}${extra}`;
const match = async (title: string, extra = '') =>
  (await getOk(t.app, url(title, extra), single(RoleMatchResult))).data;

describe('GET /v1/roles/match', () => {
  it('answers the role, how sure it is, what matched and the seniority the title states', async () => {
    const res = await get(t.app, url('Sr. Software Engineer II, Payments (Backend)'));
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toMatch(/^public, max-age=\d+/);
    expect(String(res.headers['surrogate-key']).split(' ')).toContain('roles');
    const data = single(RoleMatchResult).parse(res.body).data;
    expect(data).toMatchObject({
      title: 'Sr. Software Engineer II, Payments (Backend)',
      seniority: { level: 'senior', text: 'Sr.' },
      threshold: 0.6,
    });
    expect(data.candidates[0]).toMatchObject({
      role: {
        slug: 'senior-backend-developer',
        title: 'Senior Backend Developer',
        category: { slug: 'engineering', name: 'Engineering' },
        seniority: 'senior',
      },
      confidence: 1,
      matchedWords: ['Software', 'Engineer', 'Backend'],
    });
    expect(['Back-End Software Engineer', 'Software Engineer, Backend']).toContain(data.candidates[0]!.matchedTitle);
  });

  it('reads every seniority ads use, words before grades, and manager only where it is a level', async () => {
    const cases: [string, string | null, string | null][] = [
      ['Software Engineering Intern', 'intern', 'Intern'],
      ['Junior Front-End Developer', 'junior', 'Junior'],
      ['Associate Product Manager', 'junior', 'Associate'],
      ['Mid-Level Data Engineer', 'mid', 'Mid-Level'],
      ['Data Scientist II', 'mid', 'II'],
      ['Site Reliability Engineer III', 'senior', 'III'],
      ['Senior UX Designer', 'senior', 'Senior'],
      ['Sr. Data Engineer', 'senior', 'Sr.'],
      ['Staff Frontend Engineer', 'staff', 'Staff'],
      ['Principal Product Designer', 'principal', 'Principal'],
      ['Lead Data Scientist', 'lead', 'Lead'],
      ['Backend Tech Lead', 'lead', 'Tech Lead'],
      ['Head of Engineering', 'head', 'Head of'],
      ['Director of Product', 'head', 'Director'],
      ['Engineering Manager', 'manager', 'Manager'],
      ['Senior Manager, Software Engineering', 'manager', 'Manager'],
      ['Product Manager', null, null],
      ['Senior Staff Engineer, Platform', 'staff', 'Staff'],
    ];
    for (const [title, level, text] of cases) {
      const { seniority } = await match(title);
      expect(seniority, title).toEqual(level ? { level, text } : null);
    }
  });

  it('abstains below the threshold: no candidates, even for titles sharing words with a role', async () => {
    for (const title of [
      'Registered Nurse',
      'Product Marketing Manager',
      'Engineering Technician',
      'Graphic Designer',
    ]) {
      const data = await match(title);
      expect(data.candidates, title).toEqual([]);
      expect(data.threshold).toBe(0.6);
    }
  });

  it('ranks several candidates when asked, best first, none below the threshold', async () => {
    const data = await match('Staff Backend Engineer, Search Infrastructure', '&limit=3');
    expect(data.candidates.map((c) => c.role.slug)).toEqual(['senior-backend-developer', 'site-reliability-engineer']);
    expect(data.candidates[0]!.confidence).toBeGreaterThan(data.candidates[1]!.confidence);
    expect(data.candidates[1]!.confidence).toBeGreaterThanOrEqual(0.6);
    expect((await match('Staff Backend Engineer, Search Infrastructure', '&limit=1')).candidates).toHaveLength(1);
  });

  it('matches only among the categories a partner key may read', async () => {
    const partner = await createPartnerKey(t.app, { categories: ['design'] });
    const scoped = async (title: string) =>
      (await getWith<{ data: { candidates: { role: { slug: string } }[] } }>(t.app, url(title), partner.token)).body
        .data.candidates;
    expect(await scoped('Senior Backend Engineer')).toEqual([]);
    expect((await scoped('Senior Product Designer')).map((c) => c.role.slug)).toEqual(['ux-designer']);
  });

  it('follows content: drafts never match, and edited alternative titles count at once', async () => {
    expect(
      (
        await send(t.app, 'POST', '/v1/admin/roles', {
          ...roleInput('quality-engineer'),
          alternativeTitles: ['QA Engineer', 'Test Automation Engineer'],
        })
      ).status,
    ).toBe(201);
    expect((await match('Senior QA Engineer')).candidates).toEqual([]);
    expect((await send(t.app, 'POST', '/v1/admin/roles/quality-engineer/publish')).status).toBe(200);
    expect((await match('Senior QA Engineer')).candidates[0]).toMatchObject({
      role: { slug: 'quality-engineer' },
      matchedTitle: 'QA Engineer',
    });
    expect((await match('SDET (m/f/d)')).candidates).toEqual([]);
    const edited = await send(t.app, 'PATCH', '/v1/admin/roles/quality-engineer', {
      alternativeTitles: ['SDET', 'QA Engineer'],
    });
    expect(edited.status).toBe(200);
    expect((await match('SDET (m/f/d)')).candidates[0]?.role.slug).toBe('quality-engineer');
  });

  it('refuses what it cannot read, naming the parameter, and keeps "match" from being a role slug', async () => {
    expectProblem(await get(t.app, '/v1/roles/match'), 400, 'title');
    expectProblem(await get(t.app, url('   ')), 400, 'title');
    expectProblem(await get(t.app, url('x'.repeat(201))), 400, 'title');
    expectProblem(await get(t.app, url('Data\u0001Engineer')), 400, 'title');
    expectProblem(await get(t.app, url('Data Engineer', '&limit=0')), 400, 'limit');
    expectProblem(await get(t.app, url('Data Engineer', '&limit=11')), 400, 'limit');
    expectProblem(await get(t.app, url('Data Engineer', '&role=x')), 400);
    expectProblem(await send(t.app, 'POST', '/v1/admin/roles', roleInput('match')), 400, 'slug');
  });
});

describe('GraphQL roleMatches', () => {
  it('answers what REST answers, with the full role on request', async () => {
    for (const title of ['Sr. Software Engineer II, Payments (Backend)', 'Head of Product, B2C', 'Barista']) {
      const rest = await match(title, '&limit=3');
      const res = await gql<{ roleMatches: Record<string, unknown> }>(
        t.app,
        `query($title: String!) { roleMatches(title: $title, limit: 3) { title threshold seniority { level text }
          candidates { confidence matchedTitle matchedWords role { slug title seniority category { slug name } questionCount } } } }`,
        { title },
      );
      expect(res.errors).toBeUndefined();
      interface GraphCandidate {
        confidence: number;
        matchedTitle: string;
        matchedWords: string[];
        role: { slug: string; title: string; seniority: string; category: unknown; questionCount: number };
      }
      const g = res.data!.roleMatches as Omit<typeof rest, 'candidates'> & { candidates: GraphCandidate[] };
      expect(g.candidates.every((c) => c.role.questionCount > 0)).toBe(true);
      expect({
        ...g,
        seniority: g.seniority && { ...g.seniority, level: g.seniority.level.toLowerCase() },
        candidates: g.candidates.map(({ role: { questionCount: _count, ...role }, ...c }) => ({
          ...c,
          role: { ...role, seniority: role.seniority.toLowerCase() },
        })),
      }).toEqual(rest);
    }
  });

  it('refuses a limit out of range with a coded error', async () => {
    const res = await gql(t.app, '{ roleMatches(title: "Data Engineer", limit: 0) { title } }');
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.message).toMatch(/^limit: /);
  });
});
