import type { ScheduledRun } from './admin/schedules.js';

/*
 * Runs scheduled publishing inside the API process: every poll it asks the content service to
 * run what is due (admin/schedules.ts). Schedules are rows, so they survive restarts; an instance
 * that was down runs what fell due meanwhile on its first poll. Any number of instances may run
 * one against the same PostgreSQL: due rows are claimed with SKIP LOCKED, each change made once.
 */

export interface SchedulerLogger {
  info(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export class Scheduler {
  private running = false;
  private loop: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private wakeUp: (() => void) | undefined;

  constructor(
    private readonly runDue: () => Promise<ScheduledRun>,
    private readonly options: { pollMs: number; logger: SchedulerLogger },
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearTimeout(this.timer);
    this.wakeUp?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const done = await this.runDue();
        if (done.published.length || done.unpublished.length || done.releases.length || done.failed.length)
          this.options.logger.info(done, 'ran scheduled changes');
      } catch (err) {
        this.options.logger.error({ err }, 'running scheduled changes failed; trying again at the next poll');
      }
      if (!this.running) break;
      await new Promise<void>((resolve) => {
        this.wakeUp = resolve;
        this.timer = setTimeout(resolve, this.options.pollMs);
      });
    }
  }
}
