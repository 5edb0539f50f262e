import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.js';

/*
 * GraphiQL served by the API itself, from the prebuilt browser builds of the graphiql, react and
 * react-dom packages: the IDE works on a machine with no internet, and its page loads nothing from
 * another host, so its Content-Security-Policy can say 'self' (security-headers.ts). mercurius's
 * own GraphiQL loads all of this from unpkg.com, so it stays off.
 */

const packageRequire = createRequire(import.meta.url);
const versionOf = (pkg: string) => (packageRequire(`${pkg}/package.json`) as { version: string }).version;

// Read from the package folder: the files are not in the packages' exports.
// Named with their versions: an upgrade changes the URL, so browsers may keep each file for good.
const ASSETS = [
  { pkg: 'react', file: 'umd/react.production.min.js', type: 'text/javascript' },
  { pkg: 'react-dom', file: 'umd/react-dom.production.min.js', type: 'text/javascript' },
  { pkg: 'graphiql', file: 'graphiql.min.js', type: 'text/javascript' },
  { pkg: 'graphiql', file: 'graphiql.min.css', type: 'text/css' },
].map((asset) => ({
  ...asset,
  name: `${asset.pkg}-${versionOf(asset.pkg)}.${asset.file
    .split('/')
    .pop()!
    .replace(/^[^.]+\./, '')}`,
}));

// Not inline, so the page's policy needs no 'unsafe-inline' for scripts.
const INIT = `(function () {
  var fetcher = GraphiQL.createFetcher({ url: new URL('/graphql', window.location.href).href });
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, { fetcher: fetcher, defaultEditorToolsVisibility: true, shouldPersistHeaders: false })
  );
})();
`;

function pageHtml(): string {
  const css = ASSETS.filter((a) => a.type === 'text/css').map(
    (a) => `<link rel="stylesheet" href="/graphiql/assets/${a.name}">`,
  );
  const scripts = [
    ...ASSETS.filter((a) => a.type === 'text/javascript').map((a) => `/graphiql/assets/${a.name}`),
    '/graphiql/init.js',
  ].map((src) => `<script src="${src}"></script>`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>GraphiQL · Interview Content API</title>
${css.join('\n')}
</head>
<body style="margin:0">
<div id="graphiql" style="height:100vh">Loading GraphiQL…</div>
${scripts.join('\n')}
</body>
</html>
`;
}

/** GET /graphiql (the page), /graphiql/init.js and /graphiql/assets/<package>-<version>.<file>. */
export async function graphiqlRoutes(app: FastifyInstance): Promise<void> {
  const files = new Map(
    await Promise.all(
      ASSETS.map(
        async (a) =>
          [
            a.name,
            {
              type: a.type,
              body: await readFile(join(dirname(packageRequire.resolve(`${a.pkg}/package.json`)), a.file)),
            },
          ] as const,
      ),
    ),
  );
  const html = pageHtml();
  // Outside /v1 and out of openapi.yaml: a developer tool, not part of the contract.
  const route = { config: { security: 'graphiql' as const }, schema: { hide: true } };

  app.get('/graphiql', route, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html),
  );
  app.get('/graphiql/init.js', route, async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(INIT),
  );
  app.get<{ Params: { name: string } }>('/graphiql/assets/:name', route, async (request, reply) => {
    const file = files.get(request.params.name);
    if (!file) throw new AppError('NOT_FOUND', `No GraphiQL file ${request.params.name}`);
    return reply
      .type(`${file.type}; charset=utf-8`)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .send(file.body);
  });
}
