import { readFile } from 'node:fs/promises';
import Ajv2020 from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { generateOpenApi, OPENAPI_FILE } from '../../src/cli/openapi-document.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { roleBySlug } from '../helpers/seed-files.js';

interface Doc {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>;
}

let t: TestApp;
let doc: Doc;
beforeAll(async () => {
  t = await startTestApp();
  doc = parse(await readFile(OPENAPI_FILE, 'utf8')) as Doc;
});
afterAll(() => t?.close());

const question = roleBySlug('senior-backend-developer').questions[0]!.id;

// At least one request per documented operation and status.
const SAMPLES = [
  '/healthz', '/readyz', '/v1/categories', '/v1/categories?x=1',
  '/v1/roles', '/v1/roles?limit=2&category=engineering', '/v1/roles?limit=0',
  '/v1/roles/senior-backend-developer?include=rounds,questions,tips,faqs,related', '/v1/roles/nope', '/v1/roles/senior-backend-developer?include=x',
  '/v1/roles/senior-backend-developer/questions?limit=3', '/v1/roles/nope/questions', '/v1/roles/senior-backend-developer/questions?limit=0',
  '/v1/roles/senior-backend-developer/rounds', '/v1/roles/nope/rounds', '/v1/roles/senior-backend-developer/rounds?x=1',
  '/v1/roles/senior-backend-developer/tips', '/v1/roles/nope/tips', '/v1/roles/senior-backend-developer/tips?x=1',
  '/v1/roles/senior-backend-developer/faqs', '/v1/roles/nope/faqs', '/v1/roles/senior-backend-developer/faqs?x=1',
  '/v1/questions?limit=5', '/v1/questions?difficulty=x', `/v1/questions/${question}`,
  '/v1/questions/00000000-0000-4000-8000-000000000000', `/v1/questions/${question}?x=1`,
  '/v1/search?q=team', '/v1/search',
];

function operationFor(path: string): string | undefined {
  return Object.keys(doc.paths).find((template) => new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path));
}

describe('openapi.yaml', () => {
  it('is what the running routes generate (run `npm run openapi` after changing a route)', async () => {
    expect(await readFile(OPENAPI_FILE, 'utf8')).toBe(await generateOpenApi());
  });

  it('documents every response the server sends for each operation', async () => {
    const ajv = new Ajv2020.default({ strict: false, allErrors: true });
    ajv.addSchema(doc, 'openapi.json');
    const seen = new Set<string>();
    for (const url of SAMPLES) {
      const res = await t.app.inject(url);
      const path = url.split('?')[0]!;
      const template = operationFor(path);
      expect(template, `${path} is documented`).toBeDefined();
      const status = String(res.statusCode);
      const response = doc.paths[template!]!.get!.responses[status];
      expect(response, `${url} answered ${status}, which is not documented`).toBeDefined();
      const contentType = String(res.headers['content-type']).split(';')[0]!;
      const escape = (s: string) => s.replaceAll('~', '~0').replaceAll('/', '~1');
      expect(Object.keys(response!.content ?? {}), `${url} content type`).toContain(contentType);
      const pointer = `openapi.json#/paths/${escape(template!)}/get/responses/${status}/content/${escape(contentType)}/schema`;
      const validate = ajv.getSchema(pointer) ?? ajv.compile({ $ref: pointer });
      const valid = validate(JSON.parse(res.body));
      expect(valid, `${url}: ${JSON.stringify(validate.errors)}`).toBe(true);
      seen.add(`${template} ${status}`);
    }
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.entries(ops).flatMap(([, op]) => Object.keys(op.responses).map((s) => `${p} ${s}`)),
    );
    // 503 from /readyz needs a dead database; conventions.test.ts drives it.
    expect(documented.filter((d) => !seen.has(d) && d !== '/readyz 503')).toEqual([]);
  });
});
