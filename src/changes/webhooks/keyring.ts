import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { webhookKeyring } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { SecretBox } from './secret-box.js';

/*
 * Without WEBHOOK_ENCRYPTION_KEY, outside production, a key is generated once and kept in the
 * database (webhook_keyring). That spares development and tests a setting, and every instance on
 * one database agrees on it; it protects nothing against someone who can read the database, which
 * is why production refuses it and asks for the variable instead.
 */

const KEYRING_NAME = 'development';

/** The box to seal and open secrets with, found once and then kept. */
export function secretBoxSource(
  db: Queryable,
  options: { key?: Buffer | undefined; production: boolean },
): () => Promise<SecretBox> {
  let box: Promise<SecretBox> | undefined;
  const find = async (): Promise<SecretBox> => {
    if (options.key) return new SecretBox(options.key);
    if (options.production)
      throw new AppError(
        'UNAVAILABLE',
        'Webhooks need WEBHOOK_ENCRYPTION_KEY in production (32 random bytes as hex or base64) to keep their secrets encrypted',
      );
    // Two instances may start at once: the first insert wins and both read the same key.
    await db
      .insert(webhookKeyring)
      .values({ name: KEYRING_NAME, key: randomBytes(32).toString('base64url') })
      .onConflictDoNothing();
    const [row] = await db.select().from(webhookKeyring).where(eq(webhookKeyring.name, KEYRING_NAME));
    return new SecretBox(Buffer.from(row!.key, 'base64url'));
  };
  return () => {
    box ??= find().catch((err: unknown) => {
      box = undefined;
      throw err;
    });
    return box;
  };
}
