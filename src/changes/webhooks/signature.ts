import { createHmac, timingSafeEqual } from 'node:crypto';

/*
 * Webhook-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">
 *
 * The timestamp is inside what is signed, so a receiver that refuses old timestamps refuses
 * replays too. While a rotated-out secret is still within its overlap the header carries one v1
 * per secret; a receiver accepts when any of them matches the secret it holds.
 */

export const SIGNATURE_HEADER = 'webhook-signature';
const DEFAULT_TOLERANCE_SECONDS = 300;

const hmac = (secret: string, timestamp: number, body: string) =>
  createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');

export function signatureHeader(secrets: readonly string[], timestamp: number, body: string): string {
  return [`t=${timestamp}`, ...secrets.map((s) => `v1=${hmac(s, timestamp, body)}`)].join(',');
}

/** What a receiver does: the signature matches its secret and the timestamp is recent. */
export function verifySignature(
  secret: string,
  header: string,
  rawBody: string,
  options: { toleranceSeconds?: number; nowSeconds?: number } = {},
): boolean {
  const pairs = header.split(',').map((part) => {
    const at = part.indexOf('=');
    return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
  });
  const timestamp = Number(pairs.find(([k]) => k === 't')?.[1]);
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (
    !Number.isSafeInteger(timestamp) ||
    Math.abs(now - timestamp) > (options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)
  )
    return false;
  const expected = Buffer.from(hmac(secret, timestamp, rawBody), 'hex');
  return pairs.some(([k, v]) => {
    if (k !== 'v1') return false;
    const given = Buffer.from(v, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
