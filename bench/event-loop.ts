/*
 * What ordinary activity does to the API's event loop on this machine, measured the way the
 * overload check measures it (src/http/event-loop-delay.ts), to choose OVERLOAD_MAX_EVENT_LOOP_DELAY_MS
 * and its window. The API runs in this process (embedded database, webhook dispatcher on) while:
 *   idle         nothing else;
 *   chromium     Debian's chromium starts headless next door and loads a page, as the browser tests do;
 *   webhook      the dispatcher delivers to a receiver (another process) that answers 50 MB;
 *   requests     16 clients read role pages from another process (autocannon), for comparison;
 *   busy         two CPU-bound processes, one per core, as on a machine running other work;
 *   overload     64 clients reading uncached role pages (with a key), more than the embedded database
 *                answers: not ordinary, what the check must catch.
 * Prints, per phase, the largest one-second sample and the largest mean over windows of 1, 5 and 10 s.
 *   npx tsx bench/event-loop.ts [--seconds 10]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { EventLoopDelayWindow } from '../src/http/event-loop-delay.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../test/helpers/chromium.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' } } });
const seconds = Number(values.seconds);
const KEY = `bench-event-loop-admin-key-${'x'.repeat(20)}`;

const app = await buildApp({
  config: loadConfig({
    NODE_ENV: 'development',
    LOG_LEVEL: 'silent',
    PGLITE_DATA_DIR: 'memory://',
    BOOTSTRAP_ADMIN_KEY: KEY,
    RATE_LIMIT_ANONYMOUS_PER_MINUTE: '0',
    OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: '0',
    WEBHOOKS_POLL_MS: '200',
  }),
});
await app.listen({ host: '127.0.0.1', port: 0 });
const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
const monitor = new EventLoopDelayWindow(1000, 1);
// The longest single wait in each second, besides the mean the check uses.
const stalls = monitorEventLoopDelay({ resolution: 10 });
stalls.enable();
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const children: ChildProcess[] = [];
function start(command: string, args: string[]): ChildProcess {
  const child = spawn(command, args, { stdio: 'ignore' });
  children.push(child);
  return child;
}
function stop(child: ChildProcess) {
  if (child.exitCode === null && child.pid) child.kill('SIGKILL');
}

/** Samples one second at a time for the phase, while `during` runs; returns the per-second delays. */
const longest: Record<string, number> = {};
async function phase(name: string, during: () => Promise<void>): Promise<number[]> {
  const seen: number[] = [];
  stalls.reset();
  let done = false;
  const work = during().finally(() => (done = true));
  for (let i = 0; i < seconds || !done; i++) {
    await sleep(1000);
    seen.push(monitor.recent.at(-1) ?? 0);
    if (i > seconds * 6) break;
  }
  await work;
  longest[name] = Math.round(stalls.max / 1e6);
  return seen;
}

const windowMax = (xs: number[], w: number) => {
  let max = 0;
  for (let i = 0; i + w <= xs.length; i++) max = Math.max(max, xs.slice(i, i + w).reduce((a, b) => a + b, 0) / w);
  return Math.round(max);
};

const results: Record<string, number[]> = {};
results.idle = await phase('idle', () => sleep(seconds * 1000));

results.chromium = await phase('chromium', async () => {
  const profile = await mkdtemp(join(tmpdir(), 'event-loop-chromium-'));
  const browser = start(CHROMIUM, [
    ...CHROMIUM_ARGS,
    `--user-data-dir=${profile}`,
    '--dump-dom',
    `${base}/embed/v1/roles/senior-backend-developer`,
  ]);
  await new Promise((r) => browser.once('exit', r));
  await rm(profile, { recursive: true, force: true });
});

results.webhook = await phase('webhook', async () => {
  const piped = spawn(
    process.execPath,
    [
      '-e',
      `const big = Buffer.alloc(50 * 1024 * 1024, 120);
       require('node:http').createServer((q, r) => { q.resume(); q.on('end', () => r.end(big)); })
         .listen(0, '127.0.0.1', function () { console.log(this.address().port); });`,
    ],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  children.push(piped);
  const port = await new Promise<string>((resolve) => piped.stdout!.once('data', (d) => resolve(String(d).trim())));
  const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
  const hook = await fetch(`${base}/v1/admin/webhooks`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ url: `http://127.0.0.1:${port}/hooks`, events: ['*'] }),
  });
  const { data } = (await hook.json()) as { data: { id: string } };
  for (let i = 0; i < 3; i++) {
    await fetch(`${base}/v1/admin/roles/senior-backend-developer`, {
      method: 'PATCH',
      headers,
      body: JSON.stringify({ title: `Senior Backend Developer ${i}` }),
    });
    await sleep(2000);
  }
  await fetch(`${base}/v1/admin/webhooks/${data.id}`, { method: 'DELETE', headers });
  stop(piped);
});

results.requests = await phase('requests', async () => {
  const load = start(process.execPath, [
    'node_modules/autocannon/autocannon.js',
    '-c',
    '16',
    '-d',
    String(seconds),
    `${base}/v1/roles/senior-backend-developer?include=questions`,
  ]);
  await new Promise((r) => load.once('exit', r));
});

// Not ordinary: more uncached reads than the embedded database answers (a key skips the
// response cache), so requests queue. What the threshold must still catch.
results.overload = await phase('overload', async () => {
  const load = start(process.execPath, [
    'node_modules/autocannon/autocannon.js',
    '-c',
    '64',
    '-d',
    String(seconds),
    '-H',
    `authorization=Bearer ${KEY}`,
    `${base}/v1/roles/senior-backend-developer?include=questions,rounds,tips,faqs,related`,
  ]);
  await new Promise((r) => load.once('exit', r));
});

results.busy = await phase('busy', async () => {
  const spinners = [0, 1].map(() => start(process.execPath, ['-e', 'for(;;){}']));
  await sleep(seconds * 1000);
  spinners.forEach(stop);
});

monitor.stop();
for (const child of children) stop(child);
await app.close();

console.log(
  '\nEvent-loop delay of the API process (ms): mean callback delay per 1 s sample, and the largest mean over a window',
);
console.log('phase      samples  max 1s  max 5s  max 10s  longest stall   per second');
for (const [name, xs] of Object.entries(results)) {
  console.log(
    `${name.padEnd(10)} ${String(xs.length).padStart(7)} ${String(windowMax(xs, 1)).padStart(7)} ${String(windowMax(xs, 5)).padStart(7)} ${String(windowMax(xs, 10)).padStart(8)} ${String(longest[name]).padStart(14)}   ${xs.map((x) => Math.round(x)).join(' ')}`,
  );
}
