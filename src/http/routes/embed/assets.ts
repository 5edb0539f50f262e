import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { FastifyPluginAsync } from 'fastify';

/*
 * The widget script lives outside src/ (a build compiles src/ and copies no assets), resolved from
 * this file like the migrations folder is. /embed/v1/widget.js is the stable address partners
 * paste; it is a one-line module that imports the current build under a content-hashed name, which
 * never changes and so is cached for a year. The stable address is cached for five minutes, so a
 * new widget reaches every page within minutes of a deploy.
 */

export const WIDGET_FILE = new URL('../../../../embed/widget.js', import.meta.url);

const IMMUTABLE = 'public, max-age=31536000, immutable';
const SHORT = 'public, max-age=300, stale-while-revalidate=86400';
const JS = 'text/javascript; charset=utf-8';

async function widgetBuild() {
  const source = await readFile(WIDGET_FILE);
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 12);
  return { source, file: `widget.${hash}.js` };
}

export const assetRoutes: FastifyPluginAsync = async (app) => {
  const { source, file } = await widgetBuild();
  const loader = `import './${file}';\n`;
  // Static files, not API operations: kept out of openapi.yaml, described in the README.
  const config = { cache: 'public' } as const;
  const schema = { hide: true };

  app.get('/embed/v1/widget.js', { config, schema }, async (_request, reply) =>
    reply.type(JS).header('cache-control', SHORT).header('x-content-type-options', 'nosniff').send(loader),
  );
  app.get(`/embed/v1/${file}`, { config, schema }, async (_request, reply) =>
    reply.type(JS).header('cache-control', IMMUTABLE).header('x-content-type-options', 'nosniff').send(source),
  );
};
