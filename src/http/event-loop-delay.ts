import { monitorEventLoopDelay } from 'node:perf_hooks';

/** The timer resolution of the histogram (ms); a delay is what a callback waits past it. */
const RESOLUTION_MS = 10;

/**
 * Event-loop delay over a sliding window: each sample is the mean delay callbacks waited during
 * one interval (as @fastify/under-pressure measures it), and the window is the mean of the last
 * few samples. One stall (a browser starting next door, a large answer read at once) moves a
 * window of several seconds a little; only delay that lasts moves it far. An interval in which no
 * callback ran at all counts as delayed by the whole time it lasted, not as "no data".
 */
export class EventLoopDelayWindow {
  private readonly histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  private readonly samples: number[] = [];
  private last = performance.now();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly sampleMs: number,
    private readonly windowSamples: number,
  ) {
    this.histogram.enable();
    this.timer = setInterval(() => this.sample(), sampleMs);
    this.timer.unref();
  }

  private sample() {
    const now = performance.now();
    const elapsed = now - this.last;
    this.last = now;
    const mean = this.histogram.count > 0 ? this.histogram.mean / 1e6 - RESOLUTION_MS : elapsed;
    this.samples.push(Math.max(0, mean));
    if (this.samples.length > this.windowSamples) this.samples.shift();
    this.histogram.reset();
  }

  /** The mean delay (ms) over the window; 0 until the first sample. */
  get delayMs(): number {
    if (this.samples.length === 0) return 0;
    return this.samples.reduce((sum, s) => sum + s, 0) / this.samples.length;
  }

  /** The last samples, oldest first (ms). */
  get recent(): readonly number[] {
    return this.samples;
  }

  stop() {
    clearInterval(this.timer);
    this.histogram.disable();
  }
}
