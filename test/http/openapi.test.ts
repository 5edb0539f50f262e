import { readFile } from 'node:fs/promises';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { generateOpenApi, OPENAPI_FILE } from '../../src/cli/openapi-document.js';
import { RESPONSE_HEADERS } from '../../src/http/openapi-conventions.js';
import { ADMIN_KEY, adminEnv, questionInput, roleInput } from '../helpers/admin.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { roleBySlug } from '../helpers/seed-files.js';

interface DocumentedResponse {
  $ref?: string;
  content?: Record<string, { schema: unknown }>;
  headers?: Record<string, unknown>;
}
interface Doc {
  paths: Record<string, Record<string, { responses: Record<string, DocumentedResponse> }>>;
  components: { responses: Record<string, DocumentedResponse> };
}

let t: TestApp;
let doc: Doc;
beforeAll(async () => {
  t = await startTestApp({ env: adminEnv });
  doc = parse(await readFile(OPENAPI_FILE, 'utf8')) as Doc;
});
afterAll(() => t?.close());

const question = roleBySlug('senior-backend-developer').questions[0]!.id;

// At least one request per documented operation and status.
const SAMPLES = [
  '/healthz',
  '/readyz',
  '/v1/categories',
  '/v1/categories?x=1',
  '/v1/roles',
  '/v1/roles?limit=2&category=engineering',
  '/v1/roles?limit=0',
  '/v1/roles/senior-backend-developer?include=rounds,questions,tips,faqs,related',
  '/v1/roles/nope',
  '/v1/roles/senior-backend-developer?include=x',
  `/v1/roles/match?title=${encodeURIComponent('Sr. Backend Engineer (m/f/d)')}`,
  '/v1/roles/match?title=',
  '/v1/roles/senior-backend-developer/questions?limit=3',
  '/v1/roles/nope/questions',
  '/v1/roles/senior-backend-developer/questions?limit=0',
  '/v1/roles/senior-backend-developer/rounds',
  '/v1/roles/nope/rounds',
  '/v1/roles/senior-backend-developer/rounds?x=1',
  '/v1/roles/senior-backend-developer/tips',
  '/v1/roles/nope/tips',
  '/v1/roles/senior-backend-developer/tips?x=1',
  '/v1/roles/senior-backend-developer/faqs',
  '/v1/roles/nope/faqs',
  '/v1/roles/senior-backend-developer/faqs?x=1',
  '/v1/questions?limit=5',
  '/v1/questions?difficulty=x',
  `/v1/questions/${question}`,
  '/v1/questions/00000000-0000-4000-8000-000000000000',
  `/v1/questions/${question}?x=1`,
  '/v1/search?q=team',
  '/v1/search',
  '/embed/v1/roles/senior-backend-developer',
  '/embed/v1/roles/nope',
  `/embed/v1/roles?job-title=${encodeURIComponent('Senior Backend Engineer')}`,
  '/embed/v1/roles?job-title=Barista',
  '/embed/v1/roles',
  '/embed/v1/roles/senior-backend-developer?x=1',
  `/embed/v1/questions/${question}`,
  '/embed/v1/questions/00000000-0000-4000-8000-000000000000',
  `/embed/v1/questions/${question}?x=1`,
  `/oembed?url=${encodeURIComponent('http://localhost:80/embed/v1/roles/senior-backend-developer')}`,
  `/oembed?url=${encodeURIComponent('https://elsewhere.example/embed/v1/roles/senior-backend-developer')}`,
  '/oembed',
  '/oembed?format=xml&url=x',
  '/v1/sync?limit=3',
  '/v1/sync?limit=0',
  `/v1/sync?cursor=${Buffer.from(JSON.stringify({ m: 'delta', s: 9_000_000 })).toString('base64url')}`,
  '/problems',
  '/problems?x=1',
  '/problems/not-found',
  '/problems/nope',
  '/problems/Not_Found',
];
const isRead = (url: string) =>
  ['/v1/', '/embed/', '/oembed', '/problems', '/healthz', '/readyz'].some((prefix) => url.startsWith(prefix));

// Admin requests, in order (later ones use what earlier ones created); every answer must be documented.
const ADMIN_SAMPLES: {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  body?: unknown;
  key?: string | null;
}[] = [
  { method: 'GET', url: '/v1/admin/roles', key: null },
  { method: 'POST', url: '/v1/admin/roles', body: roleInput('qa-doc') },
  { method: 'POST', url: '/v1/admin/roles', body: roleInput('qa-doc') },
  { method: 'POST', url: '/v1/admin/roles', body: roleInput('Not A Slug') },
  { method: 'GET', url: '/v1/admin/roles/qa-doc' },
  { method: 'PATCH', url: '/v1/admin/roles/qa-doc', body: { title: 'Documented Role', version: 1 } },
  { method: 'PATCH', url: '/v1/admin/roles/qa-doc', body: { title: 'Stale', version: 1 } },
  { method: 'POST', url: '/v1/admin/roles/qa-doc/questions', body: questionInput() },
  { method: 'POST', url: '/v1/admin/roles/qa-doc/publish' },
  { method: 'GET', url: '/v1/admin/roles/qa-doc/revisions' },
  { method: 'GET', url: '/v1/admin/roles/qa-doc/revisions/1' },
  { method: 'GET', url: '/v1/admin/roles/qa-doc/revisions/diff?from=1&to=2' },
  { method: 'POST', url: '/v1/admin/roles/qa-doc/revisions/1/restore' },
  { method: 'GET', url: '/v1/admin/categories' },
  { method: 'GET', url: '/v1/admin/keys' },
  { method: 'POST', url: '/v1/admin/keys', body: { name: 'docs', scopes: ['content:preview'] } },
  { method: 'GET', url: '/v1/admin/audit?limit=2' },
  { method: 'GET', url: '/v1/admin/export?role=qa-doc' },
  { method: 'POST', url: '/v1/admin/import?dryRun=true', body: { roles: [] } },
  { method: 'DELETE', url: '/v1/admin/roles/qa-doc' },
  { method: 'DELETE', url: '/v1/admin/roles/qa-doc?cascade=true' },
  // {webhook} and {delivery} stand for ids made by the requests before them.
  { method: 'POST', url: '/v1/admin/webhooks', body: { url: 'https://hooks.example.com/x', events: ['*'] } },
  { method: 'POST', url: '/v1/admin/webhooks', body: { url: 'ftp://hooks.example.com/x', events: ['*'] } },
  { method: 'GET', url: '/v1/admin/webhooks' },
  { method: 'GET', url: '/v1/admin/webhooks/{webhook}' },
  { method: 'GET', url: '/v1/admin/webhooks/00000000-0000-4000-8000-000000000000' },
  { method: 'PATCH', url: '/v1/admin/webhooks/{webhook}', body: { events: ['role.published', 'role.updated'] } },
  { method: 'PATCH', url: '/v1/admin/webhooks/{webhook}', body: { url: 'gopher://x' } },
  { method: 'POST', url: '/v1/admin/webhooks/{webhook}/rotate-secret', body: { overlapSeconds: 60 } },
  {
    method: 'POST',
    url: '/v1/admin/webhooks/{webhook}/replay',
    body: { from: '2000-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' },
  },
  {
    method: 'POST',
    url: '/v1/admin/webhooks/{webhook}/replay',
    body: { from: '2100-01-01T00:00:00Z', to: '2000-01-01T00:00:00Z' },
  },
  { method: 'GET', url: '/v1/admin/webhooks/{webhook}/deliveries?limit=2' },
  { method: 'GET', url: '/v1/admin/webhooks/{webhook}/deliveries?status=exploded' },
  { method: 'GET', url: '/v1/admin/webhooks/{webhook}/deliveries/{delivery}' },
  { method: 'GET', url: '/v1/admin/webhooks/{webhook}/deliveries/00000000-0000-4000-8000-000000000000' },
  { method: 'POST', url: '/v1/admin/webhooks/{webhook}/deliveries/{delivery}/redeliver' },
  { method: 'PATCH', url: '/v1/admin/webhooks/{webhook}', body: { enabled: false } },
  { method: 'POST', url: '/v1/admin/webhooks/{webhook}/deliveries/{delivery}/redeliver' },
  {
    method: 'POST',
    url: '/v1/admin/webhooks/{webhook}/replay',
    body: { from: '2000-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' },
  },
  { method: 'DELETE', url: '/v1/admin/webhooks/{webhook}' },
  { method: 'DELETE', url: '/v1/admin/webhooks/{webhook}' },
  { method: 'GET', url: '/v1/admin/webhooks', key: null },
];

const escapePointer = (s: string) => s.replaceAll('~', '~0').replaceAll('/', '~1');

function operationFor(path: string): string | undefined {
  return Object.keys(doc.paths).find((template) =>
    new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path),
  );
}

describe('openapi.yaml', () => {
  it('is what the running routes generate (run `npm run openapi` after changing a route)', async () => {
    expect(await readFile(OPENAPI_FILE, 'utf8')).toBe(await generateOpenApi());
  });

  it('is as exact as the behaviour: bounded integers, include= an array of its values, booleans, public operations open', async () => {
    const integers: { where: string; minimum?: number; maximum?: number }[] = [];
    const walkSchemas = (value: unknown, where: string): void => {
      if (Array.isArray(value)) return value.forEach((v, i) => walkSchemas(v, `${where}/${i}`));
      if (!value || typeof value !== 'object') return;
      const node = value as Record<string, unknown>;
      if (node.type === 'integer')
        integers.push({ where, minimum: node.minimum as number, maximum: node.maximum as number });
      for (const [key, child] of Object.entries(node)) walkSchemas(child, `${where}/${key}`);
    };
    walkSchemas(doc, '#');
    expect(integers.length).toBeGreaterThan(50);
    // A real lower and upper bound each, never JavaScript's ±2^53 defaults.
    expect(
      integers.filter(
        (i) => typeof i.minimum !== 'number' || typeof i.maximum !== 'number' || i.minimum < -2_147_483_648,
      ),
    ).toEqual([]);
    type Parameter = {
      name: string;
      schema: Record<string, unknown>;
      style?: string;
      explode?: boolean;
      deprecated?: boolean;
    };
    const operations = doc.paths as unknown as Record<
      string,
      Record<string, { parameters?: Parameter[]; security?: unknown[] }>
    >;
    const param = (path: string, name: string, verb = 'get') =>
      operations[path]![verb]!.parameters!.find((p) => p.name === name)!;
    expect(param('/v1/roles/{slug}', 'include')).toMatchObject({
      style: 'form',
      explode: false,
      schema: { type: 'array', items: { enum: ['rounds', 'questions', 'tips', 'faqs', 'related'] } },
    });
    expect(param('/v1/roles/{slug}', 'preview').schema).toEqual({ type: 'boolean' });
    expect(param('/v1/admin/import', 'dryRun', 'post').schema).toEqual({ type: 'boolean', default: false });
    expect(param('/v1/search', 'type')).toMatchObject({ deprecated: true });
    expect(operations['/v1/roles']!.get!.security).toEqual([]);
    expect(operations['/v1/admin/roles']!.get!.security).toEqual([{ apiKey: [] }]);
  });

  it('documents every response the server sends for each operation', async () => {
    const ajv = new Ajv2020.default({ strict: false, allErrors: true });
    // uuid and date-time are checked, not skipped.
    addFormats.default(ajv);
    ajv.addSchema(doc, 'openapi.json');
    const seen = new Set<string>();
    const writer = await t.app.inject({
      method: 'POST',
      url: '/v1/admin/keys',
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
      payload: { name: 'no-preview', scopes: ['content:write'] },
    });
    const noPreviewKey = JSON.parse(writer.body).data.token as string;
    // A key with a budget of one request, spent here: every read below with it answers 429.
    const limited = await t.app.inject({
      method: 'POST',
      url: '/v1/admin/keys',
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
      payload: { name: 'spent', scopes: [], rateLimitPerMinute: 1 },
    });
    const spentKey = JSON.parse(limited.body).data.token as string;
    expect(
      (await t.app.inject({ url: '/v1/categories', headers: { authorization: `Bearer ${spentKey}` } })).statusCode,
    ).toBe(200);
    const partner = await t.app.inject({
      method: 'POST',
      url: '/v1/admin/keys',
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
      payload: { name: 'partner', scopes: [], allowedOrigins: ['https://jobs.example'] },
    });
    const partnerKey = JSON.parse(partner.body).data.token as string;
    // Each public GET also answers 304 (fresh ETag), 401 (bad key) and 403 (preview without the
    // scope, or a key used from an origin it does not list).
    const etags = new Map<string, string>();
    for (const url of SAMPLES) {
      const res = await t.app.inject(url);
      if (res.statusCode === 200 && isRead(url) && !etags.has(operationFor(url.split('?')[0]!)!))
        etags.set(operationFor(url.split('?')[0]!)!, url);
    }
    const variants = [...etags.values()].flatMap((url) => [
      { method: 'GET' as const, url, body: undefined, key: null, headers: { 'if-none-match': '' } },
      { method: 'GET' as const, url, body: undefined, key: 'ick_notakey0_not-a-real-secret-at-all-0000000' },
      {
        method: 'GET' as const,
        url: `${url}${url.includes('?') ? '&' : '?'}preview=true`,
        body: undefined,
        key: noPreviewKey,
      },
      { method: 'GET' as const, url, body: undefined, key: spentKey },
      { method: 'GET' as const, url, body: undefined, key: partnerKey, origin: 'https://elsewhere.example' },
    ]);
    const requests = [
      ...SAMPLES.map((url) => ({ method: 'GET' as const, url, body: undefined, key: null })),
      ...ADMIN_SAMPLES,
      ...variants,
    ];
    const made: Record<string, string> = {};
    for (const request of requests) {
      const { method, body, key } = request;
      const url = request.url.replace(/\{(\w+)\}/g, (_, name: string) => made[name] ?? name);
      const token = key === undefined ? ADMIN_KEY : key;
      const headers: Record<string, string> = { ...(token ? { authorization: `Bearer ${token}` } : {}) };
      if ('headers' in request) {
        headers['if-none-match'] = String((await t.app.inject(url)).headers.etag);
      }
      if ('origin' in request) headers.origin = String(request.origin);
      const res = await t.app.inject({
        method,
        url,
        ...(body === undefined ? {} : { payload: body as object }),
        headers,
      });
      const path = url.split('?')[0]!;
      const template = operationFor(path);
      expect(template, `${path} is documented`).toBeDefined();
      const status = String(res.statusCode);
      if (method === 'POST' && path === '/v1/admin/webhooks' && res.statusCode === 201)
        made.webhook = JSON.parse(res.body).data.id;
      if (path.endsWith('/deliveries') && res.statusCode === 200) made.delivery = JSON.parse(res.body).data[0].id;
      const verb = method.toLowerCase();
      const declared = doc.paths[template!]![verb]!.responses[status];
      expect(declared, `${url} answered ${status}, which is not documented`).toBeDefined();
      // Shared answers (problems, 304) are defined once under components.responses.
      const shared = declared!.$ref?.replace('#/components/responses/', '');
      const response = shared ? doc.components.responses[shared] : declared;
      const responsePointer = shared
        ? `openapi.json#/components/responses/${shared}`
        : `openapi.json#/paths/${escapePointer(template!)}/${verb}/responses/${status}`;
      // Every header of ours that the answer carries is declared on it.
      for (const name of Object.keys(RESPONSE_HEADERS)) {
        if (res.headers[name.toLowerCase()] !== undefined)
          expect(Object.keys(response!.headers ?? {}), `${method} ${url} ${status} sends ${name}`).toContain(name);
      }
      if (res.statusCode === 204 || res.statusCode === 304) {
        expect(res.body).toBe('');
        seen.add(`${template} ${status}`);
        continue;
      }
      const contentType = String(res.headers['content-type']).split(';')[0]!;
      expect(Object.keys(response!.content ?? {}), `${url} content type`).toContain(contentType);
      if (!contentType.includes('json')) {
        // HTML pages for iframes: their content is checked in test/embed.
        seen.add(`${template} ${status}`);
        continue;
      }
      const pointer = `${responsePointer}/content/${escapePointer(contentType)}/schema`;
      const validate = ajv.getSchema(pointer) ?? ajv.compile({ $ref: pointer });
      const valid = validate(JSON.parse(res.body));
      expect(valid, `${method} ${url}: ${JSON.stringify(validate.errors)}`).toBe(true);
      seen.add(`${template} ${status}`);
    }
    // Every status of every public operation is exercised above; admin answers are checked as they come.
    const documented = Object.entries(doc.paths)
      .filter(([p]) => !p.startsWith('/v1/admin'))
      .flatMap(([p, ops]) =>
        Object.entries(ops).flatMap(([, op]) => Object.keys(op.responses).map((s) => `${p} ${s}`)),
      );
    // 503 from /readyz needs a dead database; conventions.test.ts drives it.
    expect(documented.filter((d) => !seen.has(d) && d !== '/readyz 503')).toEqual([]);
  });
});
