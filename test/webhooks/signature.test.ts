import { createHmac } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { SecretBox, parseEncryptionKey } from '../../src/changes/webhooks/secret-box.js';
import { signatureHeader, verifySignature } from '../../src/changes/webhooks/signature.js';
import { isPrivateAddress } from '../../src/changes/webhooks/url-policy.js';

const body = JSON.stringify({ id: '3d396db8-7f73-417b-bcc4-551d44d64f1c', type: 'role.updated' });
const now = 1_800_000_000;

describe('the Webhook-Signature header', () => {
  it('is t=<seconds>,v1=<hex HMAC-SHA256 of "t.body">, as docs/partners.md documents', () => {
    const header = signatureHeader(['whsec_one'], now, body);
    const expected = createHmac('sha256', 'whsec_one').update(`${now}.${body}`).digest('hex');
    expect(header).toBe(`t=${now},v1=${expected}`);
  });

  it('verifies with the right secret, within the tolerance, for the exact body', () => {
    const header = signatureHeader(['whsec_one'], now, body);
    expect(verifySignature('whsec_one', header, body, { nowSeconds: now + 299 })).toBe(true);
    expect(verifySignature('whsec_two', header, body, { nowSeconds: now })).toBe(false);
    expect(verifySignature('whsec_one', header, `${body} `, { nowSeconds: now })).toBe(false);
    // A replay of an old delivery is refused once it is older than the tolerance.
    expect(verifySignature('whsec_one', header, body, { nowSeconds: now + 301 })).toBe(false);
    expect(
      verifySignature('whsec_one', header.replace(`t=${now}`, `t=${now + 60}`), body, { nowSeconds: now + 60 }),
    ).toBe(false);
    expect(verifySignature('whsec_one', 'v1=abc', body, { nowSeconds: now })).toBe(false);
    expect(verifySignature('whsec_one', '', body, { nowSeconds: now })).toBe(false);
  });

  it('is verified by the few lines docs/partners.md shows', async () => {
    const readme = await readFile(new URL('../../docs/partners.md', import.meta.url), 'utf8');
    const snippet =
      /```ts\n(import \{ createHmac, timingSafeEqual \} from 'node:crypto';\n\nexport function verifyWebhook[\s\S]*?)```/.exec(
        readme,
      )?.[1];
    expect(snippet).toBeDefined();
    const js = ts.transpileModule(snippet!, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    const dir = await mkdtemp(join(tmpdir(), 'ica-readme-'));
    try {
      await writeFile(join(dir, 'verify.mjs'), js);
      const { verifyWebhook } = (await import(/* @vite-ignore */ join(dir, 'verify.mjs'))) as {
        verifyWebhook: (s: string, h: string, b: string) => boolean;
      };
      const fresh = Math.floor(Date.now() / 1000);
      expect(verifyWebhook('whsec_one', signatureHeader(['whsec_one'], fresh, body), body)).toBe(true);
      expect(verifyWebhook('whsec_old', signatureHeader(['whsec_new', 'whsec_old'], fresh, body), body)).toBe(true);
      expect(verifyWebhook('whsec_two', signatureHeader(['whsec_one'], fresh, body), body)).toBe(false);
      expect(verifyWebhook('whsec_one', signatureHeader(['whsec_one'], fresh - 600, body), body)).toBe(false);
      expect(verifyWebhook('whsec_one', `t=${fresh},v1=zz`, body)).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('carries one v1 per secret during a rotation, so either secret verifies', () => {
    const header = signatureHeader(['whsec_new', 'whsec_old'], now, body);
    expect(header.split(',').filter((p) => p.startsWith('v1='))).toHaveLength(2);
    expect(verifySignature('whsec_new', header, body, { nowSeconds: now })).toBe(true);
    expect(verifySignature('whsec_old', header, body, { nowSeconds: now })).toBe(true);
  });
});

describe('secrets at rest', () => {
  const key = parseEncryptionKey('11'.repeat(32))!;

  it('open only with the same key and the same webhook', () => {
    const box = new SecretBox(key);
    const sealed = box.seal('whsec_secret', 'webhook-a');
    expect(sealed).not.toContain('whsec_secret');
    expect(box.open(sealed, 'webhook-a')).toBe('whsec_secret');
    expect(() => box.open(sealed, 'webhook-b')).toThrow();
    expect(() => new SecretBox(parseEncryptionKey('22'.repeat(32))!).open(sealed, 'webhook-a')).toThrow(
      /different WEBHOOK_ENCRYPTION_KEY/,
    );
    expect(box.seal('whsec_secret', 'webhook-a')).not.toBe(sealed);
  });

  it('take a key as 64 hex characters or base64 of 32 bytes, nothing else', () => {
    expect(parseEncryptionKey('ab'.repeat(32))).toHaveLength(32);
    expect(parseEncryptionKey(Buffer.alloc(32, 7).toString('base64'))).toHaveLength(32);
    expect(parseEncryptionKey(Buffer.alloc(32, 7).toString('base64url'))).toHaveLength(32);
    expect(parseEncryptionKey('ab'.repeat(16))).toBeUndefined();
    expect(parseEncryptionKey('not a key')).toBeUndefined();
  });
});

describe('private addresses', () => {
  it.each([
    '127.0.0.1',
    '10.0.0.5',
    '172.16.3.4',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
    '224.0.0.1',
  ])('%s is private', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });
  it.each(['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('%s is public', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });
});
