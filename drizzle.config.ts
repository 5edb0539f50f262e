import { defineConfig } from 'drizzle-kit';

// Only generates SQL from the schema; the app applies it with Drizzle's migrator on either engine.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './migrations',
});
