import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { expectProblem } from '../helpers/http.js';

/*
 * Which X-Forwarded-* headers the API believes (TRUST_PROXY: true, false, a hop count, addresses
 * or CIDR ranges, as Fastify's trustProxy) and that a client never picks its own address or the
 * host links are built from. app.inject connects from 127.0.0.1, playing the proxy.
 */

describe('TRUST_PROXY', () => {
  it.each([
    ['false', false],
    ['true', true],
    ['0', false],
    ['2', 2],
    ['127.0.0.1', ['127.0.0.1']],
    ['10.0.0.0/8, 172.16.0.0/12 ,::1', ['10.0.0.0/8', '172.16.0.0/12', '::1']],
    ['loopback,uniquelocal', ['loopback', 'uniquelocal']],
  ] as const)('takes %s', (value, expected) => {
    expect(loadConfig({ TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  it.each(['banana', '10.0.0.0/33', '300.1.1.1', '-1', '1.5', 'true,10.0.0.1'])('refuses %s, naming it', (value) => {
    expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY/);
  });
});

const apps: TestApp[] = [];
afterAll(async () => {
  for (const t of apps) await t.close();
});
async function app(env: Record<string, string>) {
  const t = await startTestApp({ seed: false, env: { RATE_LIMIT_ANONYMOUS_PER_MINUTE: '3', ...env } });
  apps.push(t);
  return t;
}

/** Four requests whose X-Forwarded-For starts with an address the client made up, each time another. */
async function spoofing(t: TestApp) {
  const statuses: number[] = [];
  for (let i = 0; i < 4; i++) {
    const res = await t.app.inject({
      url: '/v1/categories',
      // What nginx's $proxy_add_x_forwarded_for makes of a client that sent its own header.
      headers: { 'x-forwarded-for': `10.66.0.${i}, 203.0.113.9` },
    });
    statuses.push(res.statusCode);
  }
  return statuses;
}

describe('the client address behind a proxy', () => {
  it('is the last address the trusted proxy added, whatever the client wrote before it', async () => {
    expect(await spoofing(await app({ TRUST_PROXY: '127.0.0.1' }))).toEqual([200, 200, 200, 429]);
  });

  it('is found by a hop count the same way', async () => {
    expect(await spoofing(await app({ TRUST_PROXY: '1' }))).toEqual([200, 200, 200, 429]);
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    const t = await app({ TRUST_PROXY: '10.1.2.3' });
    for (let i = 0; i < 3; i++)
      await t.app.inject({ url: '/v1/categories', headers: { 'x-forwarded-for': `198.51.100.${i}` } });
    // All three counted against 127.0.0.1, the real peer.
    expect((await t.app.inject('/v1/categories')).statusCode).toBe(429);
  });
});

describe('the host in embed and oEmbed links', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { TRUST_PROXY: '127.0.0.1', RATE_LIMIT_ANONYMOUS_PER_MINUTE: '0' } });
    apps.push(t);
  });
  const oembedOf = (host: string) =>
    `/oembed?url=${encodeURIComponent(`http://${host}/embed/v1/roles/senior-backend-developer`)}`;

  it('ignores X-Forwarded-Host from a peer that is not a trusted proxy', async () => {
    const other = await app({ TRUST_PROXY: '10.1.2.3', RATE_LIMIT_ANONYMOUS_PER_MINUTE: '0' });
    const res = await other.app.inject({
      url: `/oembed?url=${encodeURIComponent('http://api.example.com/embed/v1/roles/nothing-here')}`,
      headers: { host: 'api.example.com', 'x-forwarded-host': 'evil.example' },
    });
    // Looked up as a page of api.example.com (a 404 for an unknown role), never of evil.example.
    expect(res.statusCode).toBe(404);
  });

  it.each([
    ['a Host with markup', { host: 'evil.example"><script>x</script>' }, 'host'],
    ['a Host with a path', { host: 'evil.example/phish' }, 'host'],
    ['a Host with credentials', { host: 'user@evil.example' }, 'host'],
    ['a Host with a port out of range', { host: 'api.example.com:70000' }, 'host'],
    ['a forwarded host with markup', { 'x-forwarded-host': 'a.example"onload="x' }, 'host'],
    ['a forwarded scheme that is not http(s)', { 'x-forwarded-proto': 'javascript' }, 'x-forwarded-proto'],
  ])('refuses %s with 400 instead of writing it into links', async (_name, headers, field) => {
    for (const url of ['/embed/v1/roles/senior-backend-developer', oembedOf('localhost')]) {
      const res = await t.app.inject({ url, headers });
      expectProblem({ status: res.statusCode, headers: res.headers, body: JSON.parse(res.body) }, 400, field);
    }
  });

  it('takes a host name with a port, an IPv4 and an IPv6 address', async () => {
    for (const host of ['api.example.com:8443', '192.0.2.10:3000', '[2001:db8::1]:3000', 'localhost']) {
      const res = await t.app.inject({ url: oembedOf(host), headers: { host } });
      expect(res.statusCode, host).toBe(200);
      expect(JSON.parse(res.body).html).toContain(`src="http://${host}/embed/v1/roles/senior-backend-developer"`);
    }
  });

  it("builds links from a trusted proxy's forwarded host and scheme", async () => {
    const res = await t.app.inject({
      url: oembedOf('localhost').replace('http%3A%2F%2Flocalhost', 'https%3A%2F%2Fapi.example.com'),
      headers: { host: 'localhost', 'x-forwarded-host': 'api.example.com', 'x-forwarded-proto': 'https' },
    });
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body).html).toContain('src="https://api.example.com/embed/v1/roles/');
  });
});

describe('deploy/nginx.conf', () => {
  it('sets the forwarded headers itself, never passing on what the client sent', async () => {
    const nginx = await readFile(new URL('../../deploy/nginx.conf', import.meta.url), 'utf8');
    expect(nginx).toMatch(/proxy_set_header X-Forwarded-For \$remote_addr;/);
    expect(nginx).toMatch(/proxy_set_header X-Forwarded-Host \$http_host;/);
    expect(nginx).toMatch(/proxy_set_header X-Forwarded-Proto \$scheme;/);
    expect(nginx).not.toMatch(/\$proxy_add_x_forwarded_for|\$http_x_forwarded/);
  });
});
