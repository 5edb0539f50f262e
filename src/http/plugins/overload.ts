import { getHeapStatistics } from 'node:v8';
import underPressure, { type FastifyUnderPressureOptions } from '@fastify/under-pressure';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ERROR_CODES, RETRY_AFTER_SECONDS } from '../../errors.js';
import { PROBLEM_CONTENT_TYPE, problemOf } from '../problem.js';

export interface OverloadOptions {
  /** Mean event-loop delay in ms over each sample; 0: not checked. */
  maxEventLoopDelayMs: number;
  /** Heap in use; undefined: 90% of V8's heap limit; 0: not checked. */
  maxHeapUsedBytes?: number | undefined;
  /** Resident memory; 0: not checked. */
  maxRssBytes: number;
  /** How often the process is measured (ms). */
  sampleIntervalMs?: number;
  onReject?: (reason: string) => void;
}

// Answered whatever the load: the orchestrator must see the process alive, and /readyz must be
// able to say "not ready" itself rather than being refused.
const EXEMPT = new Set(['/healthz', '/readyz']);

const WHAT: Record<string, string> = {
  eventLoopDelay: 'the event loop is delayed',
  heapUsedBytes: 'memory in use is high',
  rssBytes: 'memory in use is high',
};

/**
 * Load shedding with @fastify/under-pressure: while the process is past a threshold (sampled each
 * second), new requests answer 503 problem+json with Retry-After at once, before any work is
 * done for them, instead of queueing without bound; /readyz says not ready meanwhile. Normal
 * operation never trips the defaults: a second of mean event-loop delay, 90% of the heap limit.
 */
export const overloadPlugin = fp<OverloadOptions>(async (app: FastifyInstance, options) => {
  const heapLimit = getHeapStatistics().heap_size_limit;
  const maxHeapUsedBytes = options.maxHeapUsedBytes ?? Math.floor(heapLimit * 0.9);
  await app.register(underPressure, {
    maxEventLoopDelay: options.maxEventLoopDelayMs,
    maxHeapUsedBytes,
    maxRssBytes: options.maxRssBytes,
    sampleInterval: options.sampleIntervalMs ?? 1000,
    retryAfter: RETRY_AFTER_SECONDS,
    // Runs only while under pressure: the normal path costs under-pressure's flag checks alone.
    pressureHandler: ((request: FastifyRequest, reply: FastifyReply, type: string) => {
      if (EXEMPT.has(request.url.split('?')[0]!)) return undefined;
      options.onReject?.(type);
      const body = problemOf('UNAVAILABLE', `The server is overloaded (${WHAT[type] ?? type}); try again shortly`, {
        url: request.url,
        requestId: request.id,
      });
      reply
        .code(ERROR_CODES.UNAVAILABLE.status)
        .header('retry-after', RETRY_AFTER_SECONDS)
        .header('cache-control', 'no-store')
        .type(PROBLEM_CONTENT_TYPE);
      // A value (not undefined) makes under-pressure send it and stop the request there; its
      // types admit only void, which would let the request go on after the answer.
      return JSON.stringify(body);
    }) as unknown as FastifyUnderPressureOptions['pressureHandler'],
  });
});
