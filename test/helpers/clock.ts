import type { Clock } from '../../src/clock.js';

/** A clock tests move forward instead of waiting: `advance(60 * 60_000)` is an hour later at once. */
export class ManualClock implements Clock {
  private time: number;

  constructor(start: Date = new Date()) {
    this.time = start.getTime();
  }

  now(): Date {
    return new Date(this.time);
  }

  advance(ms: number): void {
    this.time += ms;
  }

  /** An ISO time this far from now, for publishAt and the like. */
  in(ms: number): string {
    return new Date(this.time + ms).toISOString();
  }
}

export const HOUR = 60 * 60_000;
