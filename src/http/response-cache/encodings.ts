import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

export type Encoding = 'br' | 'gzip' | 'identity';

/** Bodies smaller than this are sent as they are: compressing them saves less than it costs. */
export const COMPRESS_THRESHOLD = 1024;

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

/**
 * The compressed forms a cached response keeps. Built once per stored response, on libuv's thread
 * pool rather than the event loop, at settings that favour size (they are served many times).
 */
export async function compressForCache(body: Buffer): Promise<{ br?: Buffer; gzip?: Buffer }> {
  if (body.length < COMPRESS_THRESHOLD) return {};
  const [br, gzipped] = await Promise.all([
    brotli(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }),
    gz(body, { level: 9 }),
  ]);
  return { br, gzip: gzipped };
}

/**
 * The best encoding a client accepts among those we have, by its Accept-Encoding header: br over
 * gzip, honouring q=0 ("not this one").
 */
export function negotiate(header: string | undefined, available: { br?: unknown; gzip?: unknown }): Encoding {
  if (!header) return 'identity';
  let br = false;
  let gzipOk = false;
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q !== undefined && Number(q.slice(2)) <= 0) continue;
    if (name === 'br' || name === '*') br = true;
    if (name === 'gzip' || name === '*') gzipOk = true;
  }
  if (br && available.br) return 'br';
  if (gzipOk && available.gzip) return 'gzip';
  return 'identity';
}
