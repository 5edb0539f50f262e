import type { PGlite, Transaction } from '@electric-sql/pglite';
import type { Sql } from 'postgres';

/*
 * Every statement either engine runs passes the driver calls patched here (Drizzle's and the
 * prepared hot reads alike), so this is the one place that times them, counts what is in flight
 * and, on PostgreSQL, gives up on a statement the server does not answer in time.
 */

/** What the database is doing now, read when metrics are scraped. */
export interface DatabaseActivity {
  /** Statements sent and not answered yet. */
  statements: number;
  /** Open transactions; on PostgreSQL each holds a pooled connection until it ends. */
  transactions: number;
}

/** Told the duration of each statement; the metrics install one. */
export type StatementTimer = (seconds: number, failed: boolean) => void;

/** A statement the database did not answer within the deadline (the server is away or stuck). */
class DatabaseTimeout extends Error {
  readonly code = 'DATABASE_TIMEOUT';
  constructor(ms: number) {
    super(`The database did not answer within ${ms} ms`);
    this.name = 'DatabaseTimeout';
  }
}

export class StatementInstrument {
  readonly activity: DatabaseActivity = { statements: 0, transactions: 0 };
  /** Usually one; several when apps share a database (tests). */
  private readonly timers: StatementTimer[] = [];

  /** deadlineMs 0: statements may take as long as they take (the embedded engine). */
  constructor(private readonly deadlineMs: number) {}

  addTimer(timer: StatementTimer): () => void {
    this.timers.push(timer);
    return () => {
      const at = this.timers.indexOf(timer);
      if (at >= 0) this.timers.splice(at, 1);
    };
  }

  private finish(started: number, failed: boolean) {
    this.activity.statements -= 1;
    const seconds = (performance.now() - started) / 1000;
    for (const timer of this.timers) timer(seconds, failed);
  }

  /** A postgres.js query: it runs once awaited, and its own promise can be settled early. */
  trackQuery(query: PromiseLike<unknown> & { reject?: (err: unknown) => void }): void {
    const started = performance.now();
    this.activity.statements += 1;
    const deadline = this.deadlineMs
      ? setTimeout(() => query.reject?.(new DatabaseTimeout(this.deadlineMs)), this.deadlineMs)
      : undefined;
    query.then(
      () => {
        clearTimeout(deadline);
        this.finish(started, false);
      },
      () => {
        clearTimeout(deadline);
        this.finish(started, true);
      },
    );
  }

  /** An async call that runs one statement (the embedded engine). */
  async time<T>(run: () => Promise<T>): Promise<T> {
    const started = performance.now();
    this.activity.statements += 1;
    let failed = true;
    try {
      const result = await run();
      failed = false;
      return result;
    } finally {
      this.finish(started, failed);
    }
  }

  async transaction<T>(run: () => Promise<T>): Promise<T> {
    this.activity.transactions += 1;
    try {
      return await run();
    } finally {
      this.activity.transactions -= 1;
    }
  }
}

type Patchable = Pick<Sql, 'unsafe'> & { begin?: Sql['begin']; savepoint?: (...args: unknown[]) => Promise<unknown> };

/**
 * Patches a postgres.js client (and every transaction or savepoint scope it hands out) so each
 * `unsafe` call, which is how Drizzle and the prepared statements run SQL, is tracked. Rejecting
 * a late query settles only our promise: the server stops its own work through statement_timeout.
 */
export function instrumentPostgres(sql: Patchable, instrument: StatementInstrument): void {
  const unsafe = sql.unsafe;
  sql.unsafe = ((...args: Parameters<Sql['unsafe']>) => {
    const query = unsafe(...args);
    instrument.trackQuery(query as never);
    return query;
  }) as Sql['unsafe'];
  const scoped = (name: 'begin' | 'savepoint', counts: boolean) => {
    const original = sql[name] as ((...args: unknown[]) => Promise<unknown>) | undefined;
    if (!original) return;
    (sql as Record<string, unknown>)[name] = (...args: unknown[]) => {
      const last = args.length - 1;
      const body = args[last] as (scope: Patchable) => unknown;
      args[last] = (scope: Patchable) => {
        instrumentPostgres(scope, instrument);
        return body(scope);
      };
      return counts ? instrument.transaction(() => original(...args)) : original(...args);
    };
  };
  scoped('begin', true);
  scoped('savepoint', false);
}

/** The embedded engine: its query and exec calls, in and out of transactions. */
export function instrumentPglite(client: PGlite, instrument: StatementInstrument): void {
  const patch = (target: Pick<Transaction, 'query' | 'exec'>) => {
    const query = target.query.bind(target);
    const exec = target.exec.bind(target);
    target.query = ((...args: Parameters<Transaction['query']>) =>
      instrument.time(() => query(...args))) as Transaction['query'];
    target.exec = (...args: Parameters<Transaction['exec']>) => instrument.time(() => exec(...args));
  };
  patch(client);
  const transaction = client.transaction.bind(client);
  client.transaction = <T>(callback: (tx: Transaction) => Promise<T>) =>
    instrument.transaction(() =>
      transaction((tx) => {
        patch(tx);
        return callback(tx);
      }),
    );
}
