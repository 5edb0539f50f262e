/*
 * npm run soak: a bounded mixed load against the API in its own process on 127.0.0.1, for a set
 * time, then a check that nothing acknowledged was lost. Reads, searches and GraphQL queries run
 * beside admin writes (new questions, role edits) and publishes, from `--connections` loops in
 * this process. Every acknowledged write is recorded with the value written and read back
 * afterwards through the admin API, and every publish through the public API (which also proves
 * the response cache was purged). Reports errors, lost writes, p50/p99 per kind and the server's
 * memory at start and end; exits 1 unless errors and lost writes are both 0.
 *
 *   npm run soak -- --duration 60 --connections 8
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run soak    (or --engine postgres)
 */
import { parseArgs } from 'node:util';
import { buildCorpus } from './corpus.js';
import { ApiServer } from './servers.js';

const { values: opts } = parseArgs({
  options: {
    duration: { type: 'string', default: '60' },
    connections: { type: 'string', default: '8' },
    roles: { type: 'string', default: '40' },
    engine: { type: 'string', default: process.env.DATABASE_URL ? 'postgres' : 'pglite' },
  },
});
const durationMs = Number(opts.duration) * 1000;
const connections = Number(opts.connections);
const engine = opts.engine === 'postgres' ? 'postgres' : 'pglite';
if (!(durationMs > 0) || !(connections > 0)) throw new Error('--duration and --connections must be positive numbers');

const ROLE_PAGE_QUERY = `query RolePage($slug: String!) { role(slug: $slug) { slug title questionCount
  rounds { position name } questions { id prompt difficulty starExamples { situation } pitfalls { text } } faqs { question } } }`;
const TERMS = ['incident review', 'latency budget', 'schema migration', 'stakeholder', 'cache', 'hiring feedback'];
/** One request in this many per kind; the rest are reads. */
const MIX: [Kind, number][] = [
  ['role', 36],
  ['questions', 18],
  ['search', 18],
  ['graphql', 18],
  ['write-question', 4],
  ['edit-role', 3],
  ['publish', 3],
];
type Kind = 'role' | 'questions' | 'search' | 'graphql' | 'write-question' | 'edit-role' | 'publish';
const TOTAL_WEIGHT = MIX.reduce((n, [, w]) => n + w, 0);

const corpus = buildCorpus({ roles: Number(opts.roles), questionsPerRole: 8, seed: 7 });
const slugs = corpus.roles.map((r) => r.slug);

interface Tally {
  requests: number;
  latencies: number[];
  errors: number;
  samples: string[];
}
const tallies = new Map<Kind, Tally>(
  MIX.map(([kind]) => [kind, { requests: 0, latencies: [], errors: 0, samples: [] }]),
);

// What the server acknowledged, to be found again afterwards.
const createdQuestions = new Map<string, string>(); // id -> prompt
const draftsOf: string[][] = Array.from({ length: connections }, () => []); // per loop: ids not yet published
const published = new Map<string, string>(); // id -> prompt
const roleSummaries = new Map<string, string>(); // slug -> last acknowledged summary
let roleEdits = 0;

console.log(`soak: ${engine}, ${connections} connections for ${opts.duration} s, ${slugs.length} roles`);
const api = await ApiServer.start({ engine, env: { RATE_LIMIT_KEY_PER_MINUTE: '10000000' } });
let exitCode = 1;
try {
  await api.importCorpus(corpus);
  const admin = { authorization: `Bearer ${api.adminKey}`, 'content-type': 'application/json' };

  async function call(kind: Kind, url: string, init: RequestInit, expected: number): Promise<unknown> {
    const tally = tallies.get(kind)!;
    tally.requests += 1;
    const started = performance.now();
    try {
      const res = await fetch(`${api.url}${url}`, { ...init, signal: AbortSignal.timeout(10_000) });
      const text = await res.text();
      tally.latencies.push(performance.now() - started);
      if (res.status !== expected)
        throw new Error(`${init.method ?? 'GET'} ${url} answered ${res.status}: ${text.slice(0, 200)}`);
      const body = text ? JSON.parse(text) : undefined;
      if (kind === 'graphql' && (body as { errors?: unknown }).errors)
        throw new Error(`GraphQL errors: ${text.slice(0, 200)}`);
      return body;
    } catch (err) {
      tally.errors += 1;
      if (tally.samples.length < 5) tally.samples.push((err as Error).message);
      return undefined;
    }
  }

  let counter = 0;
  async function step(loop: number) {
    const n = counter++;
    let pick = (n * 7919) % TOTAL_WEIGHT;
    const kind = MIX.find(([, w]) => (pick -= w) < 0)![0];
    // Each loop writes only its own roles, so the last summary it was told is the stored one.
    const own = slugs.filter((_, i) => i % connections === loop);
    const slug = kind === 'edit-role' || kind === 'write-question' ? own[n % own.length]! : slugs[n % slugs.length]!;
    switch (kind) {
      case 'role':
        return call(kind, `/v1/roles/${slug}?include=rounds,questions,tips,faqs,related`, {}, 200);
      case 'questions':
        return call(kind, `/v1/questions?role=${slug}&limit=20`, {}, 200);
      case 'search':
        return call(kind, `/v1/search?q=${encodeURIComponent(TERMS[n % TERMS.length]!)}&limit=10`, {}, 200);
      case 'graphql':
        return call(
          kind,
          '/graphql',
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: ROLE_PAGE_QUERY, variables: { slug } }),
          },
          200,
        );
      case 'write-question': {
        const prompt = `Soak question ${n} from loop ${loop}: how would you review a ${TERMS[n % TERMS.length]}?`;
        const body = JSON.stringify({
          prompt,
          round: 'Technical Screen',
          competency: 'soak testing',
          whyAsked: 'It checks that writes under load are kept.',
          howToAnswer: 'Describe the change, the risk and the check you would run.',
          difficulty: 'medium',
          tags: ['soak'],
          starExamples: [
            {
              situation: 'A busy service took writes from three tools at once.',
              task: 'I had to show that no acknowledged write was ever lost.',
              action: 'I wrote under load, recorded every acknowledgement and read each one back.',
              result: 'Every write was found, and the check now runs in continuous integration.',
            },
          ],
          pitfalls: ['Assuming an acknowledged write is stored'],
        });
        const created = (await call(
          kind,
          `/v1/admin/roles/${slug}/questions`,
          { method: 'POST', headers: admin, body },
          201,
        )) as { data?: { id: string } } | undefined;
        if (created?.data) {
          createdQuestions.set(created.data.id, prompt);
          draftsOf[loop]!.push(created.data.id);
        }
        return;
      }
      case 'edit-role': {
        const summary = `Soak summary ${n} from loop ${loop}: interviews for this role weigh design, delivery and judgement.`;
        const done = await call(
          kind,
          `/v1/admin/roles/${slug}`,
          { method: 'PATCH', headers: admin, body: JSON.stringify({ summary }) },
          200,
        );
        if (done) {
          roleSummaries.set(slug, summary);
          roleEdits += 1;
        }
        return;
      }
      case 'publish': {
        const id = draftsOf[loop]!.shift();
        if (!id) return call('role', `/v1/roles/${slug}`, {}, 200);
        const done = await call(
          kind,
          `/v1/admin/questions/${id}/publish`,
          { method: 'POST', headers: { authorization: admin.authorization } },
          200,
        );
        if (done) published.set(id, createdQuestions.get(id)!);
        return;
      }
    }
  }

  const sampler = api.sampleRss();
  const deadline = Date.now() + durationMs;
  await Promise.all(
    Array.from({ length: connections }, async (_, loop) => {
      while (Date.now() < deadline) await step(loop);
    }),
  );
  const rss = sampler.stop();

  // Everything acknowledged must be there: through the admin API, and published questions
  // through the public one (a stale cache would answer 404 or the draft-less page).
  let lost = 0;
  const lostSamples: string[] = [];
  const miss = (what: string) => {
    lost += 1;
    if (lostSamples.length < 5) lostSamples.push(what);
  };
  const read = async (url: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${api.url}${url}`, { headers, signal: AbortSignal.timeout(10_000) });
    return res.status === 200 ? ((await res.json()) as { data: Record<string, unknown> }).data : undefined;
  };
  for (const [id, prompt] of createdQuestions)
    if ((await read(`/v1/admin/questions/${id}`, admin))?.prompt !== prompt) miss(`question ${id}`);
  for (const [slug, summary] of roleSummaries)
    if ((await read(`/v1/admin/roles/${slug}`, admin))?.summary !== summary) miss(`summary of ${slug}`);
  for (const [id, prompt] of published)
    if ((await read(`/v1/questions/${id}`))?.prompt !== prompt) miss(`published question ${id}`);

  const rows = MIX.map(([kind]) => {
    const { requests, latencies, errors } = tallies.get(kind)!;
    const sorted = [...latencies].sort((x, y) => x - y);
    const at = (q: number) =>
      sorted.length ? Number(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(1)) : 0;
    return { kind, requests, errors, 'p50 ms': at(0.5), 'p99 ms': at(0.99) };
  });
  const errors = rows.reduce((n, r) => n + r.errors, 0);
  const requests = rows.reduce((n, r) => n + r.requests, 0);
  console.table(rows);
  console.log(`requests: ${requests} in ${opts.duration} s (${Math.round(requests / Number(opts.duration))}/s)`);
  console.log(
    `acknowledged writes: ${createdQuestions.size} new questions, ${roleEdits} role edits (the last of each of ${roleSummaries.size} roles checked), ${published.size} publishes`,
  );
  console.log(`server RSS: start ${rss.start} MB, max ${rss.max} MB, end ${rss.end} MB`);
  console.log(`errors: ${errors}`);
  for (const [kind, t] of tallies) for (const s of t.samples) console.log(`  ${kind}: ${s}`);
  console.log(`lost writes: ${lost}`);
  for (const s of lostSamples) console.log(`  ${s}`);
  exitCode = errors === 0 && lost === 0 && requests > 0 ? 0 : 1;
} finally {
  await api.stop();
}
process.exit(exitCode);
