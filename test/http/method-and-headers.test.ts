import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { adminEnv } from '../helpers/admin.js';
import { expectProblem, get } from '../helpers/http.js';

/*
 * HTTP hygiene: 405 with Allow for a method a path does not take, problem+json even for what Node
 * refuses before routing (an over-long URL), and headers that keep browsers from sniffing,
 * framing or running anything in an API answer, while /docs and /graphiql get the policies their
 * pages need.
 */

let t: TestApp;
let base = '';
beforeAll(async () => {
  t = await startTestApp({ seed: false, env: { ...adminEnv, GRAPHIQL: 'true' } });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});
afterAll(() => t?.close());

describe('methods', () => {
  it.each([
    ['POST', '/v1/roles', 'GET, HEAD'],
    ['DELETE', '/v1/roles/senior-backend-developer', 'GET, HEAD'],
    ['GET', '/v1/admin/roles/qa/publish', 'POST'],
    ['PUT', '/graphql', 'GET, HEAD, POST'],
  ])('%s %s answers 405 with Allow: %s', async (method, url, allow) => {
    const res = await t.app.inject({ method: method as 'GET', url });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe(allow);
    expectProblem({ status: res.statusCode, headers: res.headers, body: JSON.parse(res.body) }, 405);
  });

  it('still answers 404 for a path nothing serves', async () => {
    const res = await get(t.app, '/v1/nothing-here');
    expectProblem(res, 404);
    expect(res.headers.allow).toBeUndefined();
  });
});

describe('what Node refuses before routing', () => {
  it('answers an over-long URL with 431 problem+json', async () => {
    const res = await new Promise<{ status: number; type: string | undefined; nosniff: unknown; body: string }>(
      (resolve, reject) => {
        const req = httpRequest(`${base}/v1/roles?q=${'x'.repeat(20_000)}`, (r) => {
          let body = '';
          r.on('data', (d) => (body += d));
          r.on('end', () =>
            resolve({
              status: r.statusCode!,
              type: r.headers['content-type'],
              nosniff: r.headers['x-content-type-options'],
              body,
            }),
          );
        });
        req.on('error', reject);
        req.end();
      },
    );
    expect(res.status).toBe(431);
    expect(res.type).toMatch(/^application\/problem\+json/);
    expect(res.nosniff).toBe('nosniff');
    expect(JSON.parse(res.body)).toMatchObject({
      status: 431,
      code: 'REQUEST_HEADERS_TOO_LARGE',
      type: '/problems/request-headers-too-large',
    });
  });
});

describe('security headers', () => {
  it.each(['/v1/categories', '/v1/nothing-here', '/graphql?query=%7B__typename%7D', '/healthz'])(
    '%s allows browsers nothing',
    async (url) => {
      const res = await t.app.inject(url);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['content-security-policy']).toMatch(/default-src 'none'/);
      expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    },
  );

  it('lets the /docs page run its own scripts, and nothing from elsewhere', async () => {
    const res = await t.app.inject('/docs/');
    expect(res.statusCode).toBe(200);
    const policy = String(res.headers['content-security-policy']);
    expect(policy).toMatch(/script-src 'self'(;|$)/);
    expect(policy).toMatch(/frame-ancestors 'none'/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('lets GraphiQL load its own files and nothing from another host', async () => {
    const res = await t.app.inject('/graphiql');
    expect(res.statusCode).toBe(200);
    const policy = String(res.headers['content-security-policy']);
    expect(policy).toMatch(/script-src 'self'(;|$)/);
    expect(policy).not.toMatch(/https?:/);
    expect(policy).toMatch(/frame-ancestors 'none'/);
    const script = await t.app.inject('/graphiql/init.js');
    expect(script.headers['content-security-policy']).toBe(policy);
  });
});
