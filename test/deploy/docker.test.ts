import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '../../src/app.js';
import { SEED_DIR } from '../../src/content/seed.js';
import { WIDGET_FILE } from '../../src/http/routes/embed/assets.js';

/*
 * The Dockerfile cannot be built here (no Docker engine), so its promises are read from it: a
 * build stage that compiles, a final stage with production dependencies only that runs the
 * compiled server as the unprivileged node user on the Node.js LTS the README names, with a
 * writable data directory and a health check on /readyz.
 */

interface Stage {
  from: string;
  name: string | undefined;
  lines: string[];
}

const text = (await readFile(new URL('../../Dockerfile', import.meta.url), 'utf8')).replace(/\\\n\s*/g, ' ');
const lines = text
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));
const args = Object.fromEntries(
  lines.filter((l) => /^ARG \w+=/.test(l)).map((l) => l.slice(4).split('=', 2) as [string, string]),
);
const stages: Stage[] = [];
for (const line of lines) {
  const from = /^FROM (\S+)(?: AS (\S+))?$/i.exec(line);
  if (from)
    stages.push({
      from: from[1]!.replace(/^\$\{(\w+)\}$/, (_, name: string) => args[name] ?? name),
      name: from[2],
      lines: [],
    });
  else stages.at(-1)?.lines.push(line);
}
const final = stages.at(-1)!;
const has = (stage: Stage, pattern: RegExp) => stage.lines.some((l) => pattern.test(l));
const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
  engines: { node: string };
};
const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');

describe('Dockerfile', () => {
  it('compiles in a build stage and ships only production dependencies and the compiled JavaScript', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const build = stages.find((s) => s.name === 'build')!;
    expect(has(build, /^RUN npm ci\b/)).toBe(true);
    expect(has(build, /^RUN npm run build$/)).toBe(true);
    expect(has(final, /^RUN npm ci --omit=dev\b/)).toBe(true);
    expect(has(final, /^COPY --from=build \/app\/dist \.\/dist$/)).toBe(true);
    expect(has(final, /\bsrc\b/)).toBe(false);
    expect(final.lines.at(-1)).toBe('CMD ["node", "dist/server.js"]');
  });

  it('copies every folder the compiled server reads beside dist/', () => {
    // dist/ mirrors src/, so these resolve to the same folders under /app as under the repository.
    const root = new URL('../../', import.meta.url).pathname;
    const needed = [MIGRATIONS_DIR, SEED_DIR, new URL('./', WIDGET_FILE).pathname].map(
      (dir) => dir.slice(root.length).split('/')[0],
    );
    for (const dir of needed) expect(has(final, new RegExp(`^COPY ${dir} \\./${dir}$`)), dir).toBe(true);
  });

  it('runs as the node user, listening on all interfaces, with a data directory it can write', () => {
    expect(has(final, /^USER node$/)).toBe(true);
    const env = final.lines.filter((l) => l.startsWith('ENV ')).join(' ');
    expect(env).toMatch(/\bHOST=0\.0\.0\.0\b/);
    const dataDir = /\bPGLITE_DATA_DIR=(\S+)/.exec(env)?.[1];
    expect(dataDir).toBeTruthy();
    const volume = /^VOLUME \["([^"]+)"\]$/.exec(final.lines.find((l) => l.startsWith('VOLUME'))!)?.[1];
    expect(dataDir!.startsWith(`${volume}/`)).toBe(true);
    // Made and handed to node before USER switches to it.
    const chown = final.lines.findIndex(
      (l) => new RegExp(`chown -R node:node ${volume}$`).test(l) && l.includes(`mkdir -p ${dataDir}`),
    );
    expect(chown).toBeGreaterThan(-1);
    expect(chown).toBeLessThan(final.lines.indexOf('USER node'));
  });

  it('checks health on /readyz with node itself (no curl in the image)', () => {
    const check = final.lines.find((l) => l.startsWith('HEALTHCHECK'));
    expect(check).toMatch(/CMD \["node", "-e", ".*fetch\(.*\/readyz/);
  });

  it('runs on the Node.js LTS that package.json and the README say is tested', () => {
    const major = /^node:(\d+)/.exec(final.from)?.[1];
    expect(major).toBeTruthy();
    expect(stages.every((s) => s.from === final.from)).toBe(true);
    expect(pkg.engines.node).toContain(`^${major}`);
    expect(readme).toContain(`Node.js ${major}`);
  });
});
