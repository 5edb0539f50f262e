import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/*
 * Webhook secrets at rest. Signing needs the secret itself, so it cannot be hashed like an API key;
 * it is encrypted with AES-256-GCM under WEBHOOK_ENCRYPTION_KEY, bound to its webhook's id (so a
 * ciphertext copied onto another row does not open), and tagged with which key sealed it (so a
 * changed key is reported as such instead of as garbage).
 *
 * Where the key comes from when WEBHOOK_ENCRYPTION_KEY is not set: keyring.ts.
 */

const VERSION = 'v1';

export class SecretBox {
  readonly keyId: string;

  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('a webhook encryption key is 32 bytes');
    this.keyId = createHash('sha256').update(key).digest('hex').slice(0, 8);
  }

  seal(plain: string, boundTo: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv).setAAD(Buffer.from(boundTo));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [
      VERSION,
      this.keyId,
      iv.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
      body.toString('base64url'),
    ].join(':');
  }

  open(sealed: string, boundTo: string): string {
    const [version, keyId, iv, tag, body] = sealed.split(':');
    if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('not a sealed webhook secret');
    if (keyId !== this.keyId) throw new Error('the webhook secret was sealed with a different WEBHOOK_ENCRYPTION_KEY');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url')).setAAD(
      Buffer.from(boundTo),
    );
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }
}

/** 32 bytes from 64 hex characters or base64 (either alphabet); undefined when it is neither. */
export function parseEncryptionKey(text: string): Buffer | undefined {
  if (/^[0-9a-f]{64}$/i.test(text)) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) {
    const key = Buffer.from(text, text.includes('+') || text.includes('/') ? 'base64' : 'base64url');
    if (key.length === 32) return key;
  }
  return undefined;
}
