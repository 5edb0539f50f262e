import { getHeapStatistics } from 'node:v8';
import underPressure, { type FastifyUnderPressureOptions } from '@fastify/under-pressure';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ERROR_CODES, RETRY_AFTER_SECONDS } from '../../errors.js';
import { EventLoopDelayWindow } from '../event-loop-delay.js';
import { PROBLEM_CONTENT_TYPE, problemOf } from '../problem.js';

export interface OverloadOptions {
  /** Mean event-loop delay in ms over the window; 0: not checked. */
  maxEventLoopDelayMs: number;
  /** How many one-second samples the delay is averaged over. */
  eventLoopWindowSeconds: number;
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

/** under-pressure reports our own check (the event-loop window) as a failed health check. */
const REASONS: Record<string, string> = { serviceUnavailable: 'eventLoopDelay' };

const WHAT: Record<string, string> = {
  eventLoopDelay: 'the event loop is delayed',
  heapUsedBytes: 'memory in use is high',
  rssBytes: 'memory in use is high',
};

/**
 * Load shedding with @fastify/under-pressure: while the process is past a threshold (sampled each
 * second), new requests answer 503 problem+json with Retry-After at once, before any work is
 * done for them, instead of queueing without bound; /readyz says not ready meanwhile. The
 * event-loop delay is averaged over a window of seconds (event-loop-delay.ts), so a stall that
 * passes (a browser starting on the same machine, a large webhook answer) does not shed, while
 * requests queueing faster than they are served do. The defaults come from bench/event-loop.ts.
 */
export const overloadPlugin = fp<OverloadOptions>(async (app: FastifyInstance, options) => {
  const heapLimit = getHeapStatistics().heap_size_limit;
  const maxHeapUsedBytes = options.maxHeapUsedBytes ?? Math.floor(heapLimit * 0.9);
  const sampleIntervalMs = options.sampleIntervalMs ?? 1000;
  const delay =
    options.maxEventLoopDelayMs > 0 ? new EventLoopDelayWindow(sampleIntervalMs, options.eventLoopWindowSeconds) : null;
  if (delay) app.addHook('onClose', async () => delay.stop());
  await app.register(underPressure, {
    ...(delay
      ? {
          healthCheck: async () => delay.delayMs <= options.maxEventLoopDelayMs,
          healthCheckInterval: sampleIntervalMs,
        }
      : {}),
    maxHeapUsedBytes,
    maxRssBytes: options.maxRssBytes,
    sampleInterval: sampleIntervalMs,
    retryAfter: RETRY_AFTER_SECONDS,
    // Runs only while under pressure: the normal path costs under-pressure's flag checks alone.
    pressureHandler: ((request: FastifyRequest, reply: FastifyReply, type: string) => {
      if (EXEMPT.has(request.url.split('?')[0]!)) return undefined;
      const reason = REASONS[type] ?? type;
      options.onReject?.(reason);
      const body = problemOf('UNAVAILABLE', `The server is overloaded (${WHAT[reason] ?? reason}); try again shortly`, {
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
