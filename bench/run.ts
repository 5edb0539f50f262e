/*
 * npm run bench: the API in its own process on a real port, loaded with a deterministic corpus
 * through the admin import, then measured path by path with autocannon from this process, next to
 * the bound: a bare Fastify route answering a body of the role page's size, measured in the same
 * run. Prints a table (req/s, latency, errors, ratio to the bound) and writes bench/results.json.
 *
 *   npm run bench -- --connections 16 --duration 10 --warmup 2 --roles 200 --questions 12
 *   npm run bench -- --engine postgres            (DATABASE_URL, or the local server)
 *   RESPONSE_CACHE=false npm run bench -- --paths role,graphql    (the miss path)
 *   npm run bench -- --paths role --cpu-prof bench/profiles       (a CPU profile of the server)
 */
import { writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { buildCorpus } from './corpus.js';
import { ApiServer, BoundServer, type RssSampler } from './servers.js';

const { values: opts } = parseArgs({
  options: {
    connections: { type: 'string', default: '16' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    roles: { type: 'string', default: '200' },
    questions: { type: 'string', default: '12' },
    engine: { type: 'string', default: process.env.DATABASE_URL ? 'postgres' : 'pglite' },
    paths: { type: 'string' },
    out: { type: 'string', default: 'bench/results.json' },
    'cpu-prof': { type: 'string' },
  },
});
const connections = Number(opts.connections);
const duration = Number(opts.duration);
const warmup = Number(opts.warmup);
const engine = opts.engine === 'postgres' ? 'postgres' : 'pglite';
const cache = process.env.RESPONSE_CACHE !== 'false';

const ROLE_PAGE_QUERY = `query RolePage($slug: String!) { role(slug: $slug) { slug title summary seniority track questionCount roundCount
  category { slug name } formatBreakdown { label percent } rounds { position name focus durationMinutes }
  questions { id prompt competency whyAsked howToAnswer difficulty tags round { name position }
    starExamples { situation task action result } pitfalls { text } }
  tips { text } faqs { question answer } relatedRoles { slug title } publishedAt updatedAt } }`;

interface Target {
  name: string;
  label: string;
  /**
   * Share of the bound's req/s the issue asks for; p99 in ms where it asks for that. With the
   * response cache off only the role page has a target (the miss path); other rows are context.
   */
  goal?: { ratio: number; p99?: number } | undefined;
  request: autocannon.Options;
  expected: number;
}

function rows(result: autocannon.Result, expected: number) {
  const codes = (result as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {};
  const unexpected = Object.entries(codes)
    .filter(([code]) => Number(code) !== expected)
    .reduce((n, [, s]) => n + s.count, 0);
  return {
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    unexpected,
  };
}

async function load(request: autocannon.Options, seconds: number) {
  return autocannon({ connections, duration: seconds, ...request });
}

const corpus = buildCorpus({ roles: Number(opts.roles), questionsPerRole: Number(opts.questions) });
console.log(
  `corpus: ${corpus.roles.length} roles x ${opts.questions} questions; engine ${engine}; response cache ${cache ? 'on' : 'off'}`,
);

// --cpu-prof: the server writes a V8 CPU profile of the whole run into that directory when it stops.
const nodeArgs = opts['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${opts['cpu-prof']}`] : [];
const api = await ApiServer.start({ engine, env: { RESPONSE_CACHE: cache ? 'true' : 'false' }, nodeArgs });
let bound: BoundServer | undefined;
let sampler: RssSampler | undefined;
try {
  const loaded = Date.now();
  await api.importCorpus(corpus);
  console.log(`imported in ${((Date.now() - loaded) / 1000).toFixed(1)} s`);

  const middle = corpus.roles[Math.floor(corpus.roles.length / 2)]!;
  const base = api.url;
  const rolePath = `/v1/roles/${middle.slug}?include=rounds,questions,tips,faqs,related`;
  const rolePage = await fetch(`${base}${rolePath}`);
  const roleBody = await rolePage.text();
  const etag = rolePage.headers.get('etag') ?? '';
  const questionId = middle.questions[3]!.id;
  const searchTerm = 'incident review';

  const cached = (goal: NonNullable<Target['goal']>) => (cache ? goal : undefined);
  const targets: Target[] = [
    {
      name: 'role',
      label: 'role page, every include',
      goal: { ratio: cache ? 0.6 : 0.08 },
      request: { url: `${base}${rolePath}` },
      expected: 200,
    },
    {
      name: 'role-304',
      label: 'role page, If-None-Match (304)',
      goal: cached({ ratio: 0.8 }),
      request: { url: `${base}${rolePath}`, headers: { 'if-none-match': etag } },
      expected: 304,
    },
    {
      name: 'graphql',
      label: 'GraphQL role page',
      goal: cached({ ratio: 0.6 }),
      request: {
        url: `${base}/graphql`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: ROLE_PAGE_QUERY, variables: { slug: middle.slug } }),
      },
      expected: 200,
    },
    {
      name: 'questions',
      label: '20 questions by role',
      goal: cached({ ratio: 0.6 }),
      request: { url: `${base}/v1/roles/${middle.slug}/questions?limit=20` },
      expected: 200,
    },
    {
      name: 'search',
      label: 'search, 20 hits',
      goal: cached({ ratio: 0.3, p99: 25 }),
      request: { url: `${base}/v1/search?q=${encodeURIComponent(searchTerm)}&limit=20` },
      expected: 200,
    },
    {
      name: 'question',
      label: 'one question',
      goal: cached({ ratio: 0.6 }),
      request: { url: `${base}/v1/questions/${questionId}` },
      expected: 200,
    },
    {
      name: 'roles',
      label: 'role list page',
      goal: cached({ ratio: 0.6 }),
      request: { url: `${base}/v1/roles?limit=20` },
      expected: 200,
    },
  ];
  const wanted = opts.paths ? new Set(opts.paths.split(',')) : undefined;
  const chosen = targets.filter((t) => !wanted || wanted.has(t.name));

  bound = await BoundServer.start(Buffer.byteLength(roleBody));
  const boundTarget = { url: `${bound.url}/bound` };
  await load(boundTarget, warmup);
  const boundBefore = rows(await load(boundTarget, duration), 200);

  sampler = api.sampleRss();
  const results = [];
  for (const target of chosen) {
    const during = api.sampleRss();
    await load(target.request, warmup);
    const measured = rows(await load(target.request, duration), target.expected);
    const rssMax = during.stop().max;
    results.push({ target, measured, rssMax });
    console.log(`  ${target.label}: ${measured.rps} req/s, RSS up to ${rssMax} MB`);
  }
  const rss = sampler.stop();

  await load(boundTarget, warmup);
  const boundAfter = rows(await load(boundTarget, duration), 200);
  const boundRps = Math.round((boundBefore.rps + boundAfter.rps) / 2);

  const table = [
    {
      path: `bound: bare Fastify, ${Buffer.byteLength(roleBody)} B JSON`,
      'req/s': boundRps,
      'p50 ms': boundBefore.p50,
      'p99 ms': boundBefore.p99,
      errors: boundBefore.errors + boundAfter.errors,
      'non-2xx': 0,
      'of bound': '100%',
      'RSS MB': '',
      target: '',
      met: '',
    },
    ...results.map(({ target, measured, rssMax }) => {
      const ratio = measured.rps / boundRps;
      const { goal } = target;
      const clean = measured.errors === 0 && measured.unexpected === 0;
      const met = goal ? ratio >= goal.ratio && (goal.p99 === undefined || measured.p99 <= goal.p99) && clean : clean;
      return {
        path: target.label,
        'req/s': measured.rps,
        'p50 ms': measured.p50,
        'p99 ms': measured.p99,
        errors: measured.errors,
        'non-2xx': measured.unexpected,
        'of bound': `${(ratio * 100).toFixed(1)}%`,
        'RSS MB': rssMax,
        target: goal
          ? `>= ${goal.ratio * 100}%${goal.p99 !== undefined ? `, p99 <= ${goal.p99} ms` : ''}`
          : 'no errors',
        met: met ? 'yes' : 'NO',
      };
    }),
  ];
  // Start-up on an existing data directory (PGlite) or database, content loaded: best of three.
  const startMs = Math.min(await api.restart(), await api.restart(), await api.restart());
  const restartedRss = api.sampleRss().stop().start;

  const machine = `${cpus().length} x ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  console.log(
    `\n${engine === 'postgres' ? 'PostgreSQL' : 'PGlite'}, response cache ${cache ? 'on' : 'off'}, ${connections} connections, ${duration} s per path after ${warmup} s warm-up; ${machine}`,
  );
  console.log(
    `bound before/after: ${boundBefore.rps} / ${boundAfter.rps} req/s; server RSS: start ${rss.start} MB, max ${rss.max} MB, end ${rss.end} MB; start-up ${startMs} ms, then ${restartedRss} MB`,
  );
  console.table(table);
  await writeFile(
    opts.out!,
    `${JSON.stringify({ date: new Date().toISOString(), machine, engine, responseCache: cache, connections, duration, warmup, corpus: { roles: corpus.roles.length, questionsPerRole: Number(opts.questions) }, bound: { before: boundBefore, after: boundAfter, rps: boundRps }, rssMb: { ...rss, afterRestart: restartedRss }, startMs, rows: table }, null, 2)}\n`,
  );
  console.log(`wrote ${opts.out}`);
} finally {
  sampler?.stop();
  await bound?.stop();
  await api.stop();
}
