/**
 * Where "now" comes from for everything that acts on time (scheduled publishing, webhook retries
 * and the time a failing receiver is given), so tests move time forward instead of waiting for it.
 * buildApp takes one in its options; the process uses the system clock.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
