import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson } from '../../src/changes/webhooks/send.js';
import { guardedLookup, isPrivateAddress } from '../../src/changes/webhooks/url-policy.js';
import { adminEnv, send } from '../helpers/admin.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { expectProblem } from '../helpers/http.js';
import { startReceiver, type Receiver } from '../helpers/receivers.js';

/*
 * IPv6 addresses that carry an IPv4 one reach that IPv4 address: loopback, the private ranges and
 * cloud metadata are as near through them as written plainly. They are refused where private
 * networks are, when a webhook is saved and again when a delivery connects, IP literals included.
 */

const CARRYING_PRIVATE_IPV4 = [
  '::7f00:1', // IPv4-compatible ::127.0.0.1
  '::127.0.0.1',
  '::ffff:7f00:1', // IPv4-mapped, written in hex
  '::ffff:0:7f00:1', // IPv4-translated ::ffff:0:127.0.0.1
  '::ffff:0:a9fe:a9fe', // ... 169.254.169.254
  '64:ff9b::7f00:1', // NAT64 well-known prefix
  '64:ff9b::a9fe:a9fe',
  '64:ff9b:1::a00:1', // NAT64 local-use prefix (64:ff9b:1::/48)
  '2002:7f00:1::1', // 6to4 of 127.0.0.1
  '2002:c0a8:1::1', // 6to4 of 192.168.0.1
  '2001:0:4136:e378:8000:63bf:3fff:fdd2', // Teredo
  '0:0:0:0:0:ffff:10.0.0.1',
  'fe80::1%eth0',
];

describe('which addresses are private', () => {
  it.each(CARRYING_PRIVATE_IPV4)('%s is private', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });
  it.each(['2606:4700:4700::1111', '::ffff:808:808', '::ffff:8.8.8.8', '2a00:1450:4001:81c::200e'])(
    '%s is public',
    (address) => {
      expect(isPrivateAddress(address)).toBe(false);
    },
  );
});

describe('saving a webhook where private networks are refused', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ seed: false, env: { ...adminEnv, WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'false' } });
  });
  afterAll(() => t?.close());

  it.each(CARRYING_PRIVATE_IPV4.filter((a) => !a.includes('%')))('refuses http://[%s]/', async (address) => {
    const res = await send(t.app, 'POST', '/v1/admin/webhooks', {
      url: `http://[${address}]:9000/hooks`,
      events: ['*'],
    });
    expectProblem(res, 400, 'url');
  });
});

describe('a delivery where private networks are refused', () => {
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver(() => 200);
  });
  afterAll(() => receiver?.close());

  const deliver = (url: string) =>
    postJson(
      url,
      '{}',
      {},
      {
        timeoutMs: 10_000,
        lookup: guardedLookup(false),
        signal: new AbortController().signal,
      },
    );

  it('does not connect to an IP literal in a private range', async () => {
    const { port } = new URL(receiver.url);
    const before = receiver.received.length;
    for (const host of ['127.0.0.1', '[::ffff:127.0.0.1]', '[::ffff:7f00:1]']) {
      const result = await deliver(`http://${host}:${port}/hooks`);
      expect(result.statusCode, host).toBeNull();
      expect(result.error, host).toMatch(/private/);
    }
    expect(receiver.received.length).toBe(before);
  });

  it('does not connect to a name that resolves to one (as before)', async () => {
    const { port } = new URL(receiver.url);
    const before = receiver.received.length;
    const result = await deliver(`http://localhost:${port}/hooks`);
    expect(result.error).toMatch(/private/);
    expect(receiver.received.length).toBe(before);
  });

  it('still delivers where private networks are allowed', async () => {
    const result = await postJson(
      receiver.url,
      '{}',
      {},
      {
        timeoutMs: 10_000,
        lookup: guardedLookup(true),
        signal: new AbortController().signal,
      },
    );
    expect(result.statusCode).toBe(200);
  });
});
