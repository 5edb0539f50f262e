// npm run keys -- create --name NAME --scopes content:preview,content:write [--expires-in-days 90]
// npm run keys -- list | revoke --id ID | rotate --id ID [--overlap-seconds 86400]
// `npm run --silent keys -- create ...` prints the new secret alone on its last line.
import { parseArgs } from 'node:util';
import { SCOPES, type Scope } from '../access/principal.js';
import { createKey, listKeys, revokeKey, rotateKey } from '../access/keys.js';
import { MIGRATIONS_DIR } from '../app.js';
import { openDatabase } from '../db/client.js';
import { AppError } from '../errors.js';
import { runCli } from './run.js';

const USAGE = `usage: npm run keys -- create --name NAME --scopes ${SCOPES.join(',')} [--expires-in-days N]
       npm run keys -- list
       npm run keys -- revoke --id ID
       npm run keys -- rotate --id ID [--overlap-seconds 86400]`;

await runCli(async (config) => {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      scopes: { type: 'string' },
      id: { type: 'string' },
      'expires-in-days': { type: 'string' },
      'overlap-seconds': { type: 'string' },
    },
  });
  const command = positionals[0];
  const usage = (why: string) => new AppError('BAD_REQUEST', `${why}\n${USAGE}`);
  if (!command || !['create', 'list', 'revoke', 'rotate'].includes(command)) throw usage('say what to do');

  const database = await openDatabase({ url: config.database.url, dataDir: config.database.dataDir });
  try {
    await database.migrate(MIGRATIONS_DIR);
    // The operator has the database itself, so the rules between keys (key-policy.ts) do not apply.
    const db = database.db;
    if (command === 'list') {
      for (const k of await listKeys(db)) {
        console.log(
          [
            k.prefix,
            k.name,
            k.scopes.join(','),
            k.revokedAt ? 'revoked' : k.expiresAt ? `expires ${k.expiresAt}` : 'active',
            k.id,
          ].join('\t'),
        );
      }
      return;
    }
    if (command === 'create') {
      if (!values.name || !values.scopes) throw usage('create needs --name and --scopes');
      const days = values['expires-in-days'] ? Number(values['expires-in-days']) : undefined;
      if (days !== undefined && !(days > 0)) throw usage('--expires-in-days must be a positive number');
      const { key, token } = await createKey(db, {
        name: values.name,
        scopes: values.scopes.split(',').map((s) => s.trim()) as Scope[],
        expiresAt: days ? new Date(Date.now() + days * 86_400_000) : null,
      });
      console.error(
        `created key ${key.prefix} (${key.name}) with ${key.scopes.join(', ')}; the secret below is shown only now`,
      );
      console.log(token);
      return;
    }
    if (!values.id) throw usage(`${command} needs --id`);
    if (command === 'revoke') {
      const key = await revokeKey(db, values.id);
      console.log(`revoked ${key.prefix} (${key.name})`);
      return;
    }
    const overlap = Number(values['overlap-seconds'] ?? 86_400);
    const { key, token } = await rotateKey(db, values.id, overlap);
    console.error(
      `rotated ${key.prefix}; the old secret works until ${key.previousSecretExpiresAt ?? 'now'}; the new one is below`,
    );
    console.log(token);
  } finally {
    await database.close();
  }
});
