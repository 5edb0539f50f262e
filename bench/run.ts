// npm run bench: starts the API on 127.0.0.1 with the seeded content and measures a few read paths
// with autocannon, a bounded number of seconds each. Prints a table. Not part of the test suite.
import autocannon from 'autocannon';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
const config = loadConfig({
  ...process.env,
  LOG_LEVEL: 'warn',
  // A throwaway embedded database unless DATABASE_URL points at a server.
  PGLITE_DATA_DIR: process.env.PGLITE_DATA_DIR ?? 'memory://',
  SEED_ON_EMPTY: 'true',
  // 16 connections from one address would spend an anonymous budget in a second; measure the API.
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: process.env.RATE_LIMIT_ANONYMOUS_PER_MINUTE ?? '0',
});
const app = await buildApp({ config });
await app.listen({ host: '127.0.0.1', port: 0 });
const { port } = app.server.address() as { port: number };

const ids = ((await (await fetch(`http://127.0.0.1:${port}/v1/questions?limit=1`)).json()) as { data: { id: string }[] }).data;
const paths = [
  '/v1/roles',
  '/v1/roles/senior-backend-developer',
  '/v1/roles/senior-backend-developer?include=rounds,questions,tips,faqs,related',
  '/v1/questions?limit=20',
  `/v1/questions/${ids[0]!.id}`,
  '/v1/search?q=incident',
];

const rows: Record<string, string | number>[] = [];
for (const path of paths) {
  const result = await autocannon({ url: `http://127.0.0.1:${port}${path}`, connections, duration: seconds });
  rows.push({
    path,
    'req/s': Math.round(result.requests.average),
    'p50 ms': result.latency.p50,
    'p99 ms': result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  });
}
console.log(`\n${config.database.url ? 'PostgreSQL' : 'PGlite'}, ${connections} connections, ${seconds}s per path`);
console.table(rows);
await app.close();
