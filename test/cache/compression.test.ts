import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { until } from '../helpers/process.js';

/* br and gzip for bodies over 1 KB, the cached ones compressed once and sent as stored. */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

const rolePage = '/v1/roles/senior-backend-developer?include=rounds,questions,tips,faqs,related';
const decode = (encoding: unknown, raw: Buffer) =>
  (encoding === 'br' ? brotliDecompressSync(raw) : encoding === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');

async function fetchAs(url: string, acceptEncoding?: string) {
  const res = await t.app.inject({ url, headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} });
  return { res, json: JSON.parse(decode(res.headers['content-encoding'], res.rawPayload)) as unknown };
}

describe('compression', () => {
  it('compresses a first (uncached) answer and a cached one alike; both decode to the same JSON', async () => {
    const plain = await fetchAs(rolePage);
    expect(plain.res.headers['content-encoding']).toBeUndefined();
    // A fresh key, so the first answer is built (and compressed on the way out).
    const fresh = '/v1/roles/senior-backend-developer?include=questions,rounds,tips,faqs,related';
    const built = await fetchAs(fresh, 'br');
    expect(built.res.headers['content-encoding']).toBe('br');
    expect(built.res.headers.vary).toContain('Accept-Encoding');
    expect(built.json).toEqual(plain.json);
    // The stored answer's compressed forms are made in the background; then they are served.
    await until(
      async () => (await fetchAs(fresh, 'gzip, deflate, br')).res.headers['content-encoding'] === 'br',
      'the cached br form',
    );
    const cached = await fetchAs(fresh, 'gzip, deflate, br');
    expect(cached.res.rawPayload.length).toBeLessThan(Buffer.byteLength(JSON.stringify(plain.json)) / 2);
    expect(cached.json).toEqual(plain.json);
    const gz = await fetchAs(fresh, 'gzip');
    expect(gz.res.headers['content-encoding']).toBe('gzip');
    expect(gz.json).toEqual(plain.json);
    expect(gz.res.headers.etag).toBe(cached.res.headers.etag);
  });

  it('honours q=0 and sends identity to clients that accept nothing else', async () => {
    await until(
      async () => (await fetchAs(rolePage, 'br')).res.headers['content-encoding'] === 'br',
      'the cached br form',
    );
    expect((await fetchAs(rolePage, 'br;q=0, gzip')).res.headers['content-encoding']).toBe('gzip');
    expect((await fetchAs(rolePage, 'identity')).res.headers['content-encoding']).toBeUndefined();
  });

  it('leaves small bodies alone', async () => {
    const res = await t.app.inject({ url: '/healthz', headers: { 'accept-encoding': 'br' } });
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('compresses answers that bypass the cache too', async () => {
    const res = await t.app.inject({
      url: '/v1/questions?limit=50',
      headers: { 'accept-encoding': 'gzip', 'x-preview': 'false' },
    });
    expect(res.headers['content-encoding']).toBe('gzip');
    expect((JSON.parse(gunzipSync(res.rawPayload).toString()) as { data: unknown[] }).data).toHaveLength(50);
  });
});
