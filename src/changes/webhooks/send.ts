import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';

/*
 * One POST to a receiver, bounded by a timeout that covers connecting, sending and the answer.
 * Redirects are not followed (a 3xx is a failure, as it is for most webhook senders); only the
 * first bytes of the answer are kept, for the delivery log.
 */

export interface SendResult {
  statusCode: number | null;
  error: string | null;
  latencyMs: number;
  excerpt: string | null;
}

const EXCERPT_BYTES = 512;

/**
 * Node connects to an IP literal without calling lookup, so the lookup's check (private networks,
 * url-policy.ts) would never see it: put the literal through the same lookup first.
 */
function literalRefused(url: string, lookup: LookupFunction): Promise<string | undefined> {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) === 0) return Promise.resolve(undefined);
  return new Promise((resolve) =>
    lookup(host, { all: true }, (err) => resolve(err ? err.message || 'refused' : undefined)),
  );
}

export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: { timeoutMs: number; lookup: LookupFunction; signal: AbortSignal },
): Promise<SendResult> {
  const refused = await literalRefused(url, options.lookup);
  if (refused) return { statusCode: null, error: refused, latencyMs: 0, excerpt: null };
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: Omit<SendResult, 'latencyMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, latencyMs: elapsed() });
    };
    const client = url.startsWith('https:') ? https : http;
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          connection: 'close',
        },
        // A fresh connection each time: nothing lingers after a delivery, and every connection is checked by lookup.
        agent: false,
        lookup: options.lookup,
        signal: options.signal,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (size < EXCERPT_BYTES) chunks.push(chunk);
          size += chunk.length;
        });
        response.on('end', () =>
          finish({ statusCode: response.statusCode ?? null, error: null, excerpt: excerptOf(chunks) }),
        );
        response.on('error', (err) =>
          finish({ statusCode: response.statusCode ?? null, error: err.message, excerpt: excerptOf(chunks) }),
        );
      },
    );
    const timer = setTimeout(
      () => request.destroy(new Error(`no answer within ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
    request.on('error', (err: NodeJS.ErrnoException) => {
      const message =
        err.name === 'AbortError' ? 'aborted: the dispatcher is stopping' : err.message || err.code || 'request failed';
      finish({ statusCode: null, error: message, excerpt: null });
    });
    request.end(body);
  });
}

function excerptOf(chunks: Buffer[]): string | null {
  if (chunks.length === 0) return null;
  return Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8');
}
