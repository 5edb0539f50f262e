import { asc, gt, max } from 'drizzle-orm';
import type { DatabaseHandle } from '../db/client.js';
import { changeLog } from '../db/schema.js';
import { CHANGES_CHANNEL } from './change-log.js';
import { purgeKeysOf } from './surrogate-keys.js';

/** Told what changed: the surrogate keys to purge, or null when it cannot know (purge all). */
export type ChangeListener = (keys: string[] | null) => void;

export interface ChangeWatcherOptions {
  /** On PostgreSQL, a safety net under NOTIFY (a missed message): read the log this often. 0: never. */
  pollMs?: number;
  /** On PostgreSQL, how long a writer waits for its own notification to come back (afterOwnWrite). */
  echoTimeoutMs?: number;
  onError?: (err: unknown) => void;
}

const PAGE = 2000;

/**
 * Follows the change log: after every write in this process, on every NOTIFY from another
 * process (PostgreSQL), and on a slow poll, it reads the entries after the last one it saw and
 * tells its listeners which surrogate keys they made stale. Because writers append in commit
 * order (change-log.ts), "after the last one seen" never skips an entry.
 */
export class ChangeWatcher {
  private lastSeq = 0;
  private running: Promise<void> | undefined;
  private again: Promise<void> | undefined;
  private readonly listeners: ChangeListener[] = [];
  private timer: NodeJS.Timeout | undefined;
  private unlisten: (() => Promise<void>) | undefined;
  /** The highest sequence number a notification has announced. */
  private heardSeq = 0;
  private readonly echoWaiters = new Set<{ seq: number; resolve: () => void }>();
  /** The catch-up the latest notification started, until it has been applied. */
  private applying: Promise<void> | undefined;

  constructor(
    private readonly database: DatabaseHandle,
    private readonly options: ChangeWatcherOptions = {},
  ) {}

  get seq(): number {
    return this.lastSeq;
  }

  /** The highest sequence number a notification has announced to this instance. */
  get heardUpTo(): number {
    return this.heardSeq;
  }

  subscribe(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  async start(): Promise<void> {
    const [row] = await this.database.db.select({ seq: max(changeLog.seq) }).from(changeLog);
    this.lastSeq = row?.seq ?? 0;
    this.heardSeq = this.lastSeq;
    // Other processes write only to a PostgreSQL server (the embedded database admits one
    // process), and this one catches up after each of its own writes. A (re)connected listener
    // may have missed notifications while it was away: catch up then too.
    if (this.database.engine === 'postgres') {
      this.unlisten = await this.database.listen(
        CHANGES_CHANNEL,
        (payload) => this.heard(payload),
        () => void this.catchUp(),
      );
      if (this.options.pollMs) {
        this.timer = setInterval(() => void this.catchUp(), this.options.pollMs);
        this.timer.unref();
      }
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    for (const waiter of this.echoWaiters) waiter.resolve();
    await this.unlisten?.().catch(() => {});
    await this.running?.catch(() => {});
  }

  /**
   * A catch-up that a notification from another instance started and that has not been applied
   * yet. The response cache waits for it before answering, so once a change's notification has
   * reached this instance no read is answered from before that change.
   */
  get pending(): Promise<void> | undefined {
    return this.applying;
  }

  /**
   * Awaited by a writer after each commit. It reads the change log, so this instance's next read
   * shows the write; on PostgreSQL it then waits until the write's own notification has come back
   * (at most echoTimeoutMs, 1 s by default, for a listener that is reconnecting). PostgreSQL has
   * by then sent that notification to every instance listening, and each holds its cache reads
   * until it has applied it: the writer's caller, told the write is done, finds it on whichever
   * instance it asks next.
   */
  async afterOwnWrite(): Promise<void> {
    await this.catchUp();
    if (!this.unlisten || this.heardSeq >= this.lastSeq) return;
    const seq = this.lastSeq;
    await new Promise<void>((resolve) => {
      const waiter = {
        seq,
        resolve: () => {
          clearTimeout(timer);
          this.echoWaiters.delete(waiter);
          resolve();
        },
      };
      const timer = setTimeout(waiter.resolve, this.options.echoTimeoutMs ?? 1000);
      this.echoWaiters.add(waiter);
    });
  }

  private heard(payload: string): void {
    const seq = Number(payload);
    if (Number.isSafeInteger(seq) && seq > this.heardSeq) {
      this.heardSeq = seq;
      for (const waiter of this.echoWaiters) if (waiter.seq <= seq) waiter.resolve();
    }
    const run = this.catchUp();
    this.applying = run;
    void run.then(() => {
      if (this.applying === run) this.applying = undefined;
    });
  }

  /**
   * Resolves once a read of the change log that began after this call has been applied, so a
   * writer that awaits it after its commit knows its own change is reflected. Calls that arrive
   * while a read runs share the next one. Never rejects: when the log cannot be read, listeners
   * are told to drop everything, which is always safe for a cache.
   */
  catchUp(): Promise<void> {
    if (!this.running) {
      this.running = this.read().finally(() => (this.running = undefined));
      return this.running;
    }
    this.again ??= this.running.then(() => {
      this.again = undefined;
      return this.catchUp();
    });
    return this.again;
  }

  private async read(): Promise<void> {
    try {
      for (;;) {
        const rows = await this.database.db
          .select({
            seq: changeLog.seq,
            entityType: changeLog.entityType,
            entityKey: changeLog.entityKey,
            roleKey: changeLog.roleKey,
            previousKey: changeLog.previousKey,
          })
          .from(changeLog)
          .where(gt(changeLog.seq, this.lastSeq))
          .orderBy(asc(changeLog.seq))
          .limit(PAGE);
        if (rows.length === 0) return;
        const keys = new Set<string>();
        for (const row of rows) for (const key of purgeKeysOf(row as Parameters<typeof purgeKeysOf>[0])) keys.add(key);
        this.lastSeq = rows[rows.length - 1]!.seq;
        this.emit([...keys]);
        if (rows.length < PAGE) return;
      }
    } catch (err) {
      this.options.onError?.(err);
      this.emit(null);
    }
  }

  private emit(keys: string[] | null) {
    for (const listener of this.listeners) listener(keys);
  }
}
