import { isIP } from 'node:net';

/**
 * Which proxies in front of the API are believed about the client (X-Forwarded-For) and the
 * address it asked for (X-Forwarded-Host, X-Forwarded-Proto): what Fastify's trustProxy takes.
 * - false: none; the socket's peer is the client.
 * - true: every hop, so the left-most X-Forwarded-For entry is the client. Only safe when the
 *   proxy overwrites the header and nothing else can reach the API.
 * - a hop count n: the n nearest hops, whoever they are.
 * - addresses and CIDR ranges (and proxy-addr's names loopback, linklocal, uniquelocal): only
 *   those peers; the client is the nearest address that is not one of them.
 */
export type TrustProxy = boolean | number | string[];

const NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function validEntry(entry: string): boolean {
  if (NAMES.has(entry) || isIP(entry)) return true;
  const [address, bits, extra] = entry.split('/');
  if (extra !== undefined || !address || !bits || !/^\d{1,3}$/.test(bits)) return false;
  const family = isIP(address);
  return family !== 0 && Number(bits) <= (family === 4 ? 32 : 128);
}

/** TRUST_PROXY as written, or a message saying what it should be. */
export function parseTrustProxy(value: string): TrustProxy | { problem: string } {
  const v = value.trim().toLowerCase();
  if (v === 'true' || v === 'yes') return true;
  if (v === 'false' || v === 'no') return false;
  if (/^\d+$/.test(v)) return Number(v) === 0 ? false : Math.min(Number(v), 100);
  const entries = v.split(',').map((e) => e.trim());
  const bad = entries.filter((e) => !validEntry(e));
  if (bad.length === 0) return entries;
  return {
    problem: `expected true, false, a hop count, or IP addresses and CIDR ranges separated by commas; not ${bad.map((b) => JSON.stringify(b)).join(', ')}`,
  };
}

/** The trustProxy option Fastify takes. Fastify 5 ignores a bare hop count, so it becomes a function. */
export function fastifyTrustProxy(trust: TrustProxy): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust !== 'number') return trust;
  return (_address, hop) => hop < trust;
}
