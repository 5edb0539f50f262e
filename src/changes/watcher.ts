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

  constructor(
    private readonly database: DatabaseHandle,
    private readonly options: ChangeWatcherOptions = {},
  ) {}

  get seq(): number {
    return this.lastSeq;
  }

  subscribe(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  async start(): Promise<void> {
    const [row] = await this.database.db.select({ seq: max(changeLog.seq) }).from(changeLog);
    this.lastSeq = row?.seq ?? 0;
    // Other processes write only to a PostgreSQL server (the embedded database admits one
    // process), and this one catches up after each of its own writes. A (re)connected listener
    // may have missed notifications while it was away: catch up then too.
    if (this.database.engine === 'postgres') {
      this.unlisten = await this.database.listen(
        CHANGES_CHANNEL,
        () => void this.catchUp(),
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
    await this.unlisten?.().catch(() => {});
    await this.running?.catch(() => {});
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
