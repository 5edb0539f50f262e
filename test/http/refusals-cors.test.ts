import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

/*
 * Answers written before a request is routed (a malformed URL, headers Node refuses) carry CORS
 * too, so a page of another origin reads the problem instead of a CORS error. They hold no data.
 */

const origin = 'https://jobs.example.com';
let t: TestApp;
let base: string;
beforeAll(async () => {
  t = await startTestApp({ seed: false });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
});
afterAll(() => t?.close());

describe('refusals before routing, from another origin', () => {
  it('a malformed URL: 400 problem+json a page can read', async () => {
    const res = await t.app.inject({ url: '/v1/roles/%E0%A4%A', headers: { origin } });
    expect(res.statusCode).toBe(400);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(JSON.parse(res.body).code).toBe('BAD_REQUEST');
  });

  it('headers too long: 431 problem+json a page can read', async () => {
    const res = await new Promise<{ status: number; cors: unknown }>((resolve, reject) => {
      const req = httpRequest(`${base}/v1/roles?q=${'x'.repeat(20_000)}`, { headers: { origin } }, (r) => {
        r.resume();
        r.on('end', () => resolve({ status: r.statusCode!, cors: r.headers['access-control-allow-origin'] }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(res.status).toBe(431);
    expect(res.cors).toBe('*');
  });
});
