import { and, desc, eq, gte, sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.js';
import { apiKeyUsage } from '../db/schema.js';

/*
 * How much each key is used: requests per UTC day and how many of them were refused (rate limit,
 * origin). Counting must not cost a database write per request, so each instance tallies in
 * memory and adds its tally to the table every few seconds and when it stops. Adding is
 * commutative, so any number of instances can flush into the same rows.
 */

export interface UsageDay {
  date: string;
  requests: number;
  rejected: number;
}

interface Tally {
  keyId: string;
  day: string;
  requests: number;
  rejected: number;
}

const utcDay = (at: Date) => at.toISOString().slice(0, 10);

export function createUsageRecorder(
  db: Queryable,
  options: { flushIntervalMs: number; onError?: (err: unknown) => void },
) {
  let pending = new Map<string, Tally>();
  let timer: NodeJS.Timeout | undefined;

  function add(tally: Tally) {
    const id = `${tally.keyId}|${tally.day}`;
    const known = pending.get(id);
    if (known) {
      known.requests += tally.requests;
      known.rejected += tally.rejected;
    } else {
      pending.set(id, { ...tally });
    }
  }

  async function flush(): Promise<void> {
    if (pending.size === 0) return;
    const batch = [...pending.values()];
    pending = new Map();
    try {
      await db
        .insert(apiKeyUsage)
        .values(batch)
        .onConflictDoUpdate({
          target: [apiKeyUsage.keyId, apiKeyUsage.day],
          set: {
            requests: sql`${apiKeyUsage.requests} + excluded.requests`,
            rejected: sql`${apiKeyUsage.rejected} + excluded.rejected`,
          },
        });
    } catch (err) {
      // Kept for the next flush: a database that is briefly away must not lose the counts.
      for (const tally of batch) add(tally);
      throw err;
    }
  }

  return {
    record(keyId: string, rejected: boolean, at = new Date()): void {
      add({ keyId, day: utcDay(at), requests: 1, rejected: rejected ? 1 : 0 });
      // Started on first use, so a CLI that never records leaves no timer behind.
      timer ??= setInterval(() => flush().catch((err) => options.onError?.(err)), options.flushIntervalMs).unref();
    },
    flush,
    /** The last `days` UTC days with any use, newest first; this instance's tally is flushed first. */
    async read(keyId: string, days: number, now = new Date()): Promise<UsageDay[]> {
      await flush();
      const since = utcDay(new Date(now.getTime() - (days - 1) * 86_400_000));
      const rows = await db
        .select({ date: apiKeyUsage.day, requests: apiKeyUsage.requests, rejected: apiKeyUsage.rejected })
        .from(apiKeyUsage)
        .where(and(eq(apiKeyUsage.keyId, keyId), gte(apiKeyUsage.day, since)))
        .orderBy(desc(apiKeyUsage.day));
      return rows.map((r) => ({ date: r.date, requests: Number(r.requests), rejected: Number(r.rejected) }));
    },
    async close(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = undefined;
      await flush();
    },
  };
}
