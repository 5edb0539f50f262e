// Validates seed files against the import format without touching a database.
// Usage: npx tsx src/cli/check-seed.ts [seed/role.yaml ...]
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { roleDocument } from '../content/import-format.js';

const dir = 'seed';
const files = process.argv.slice(2).length
  ? process.argv.slice(2)
  : (await readdir(dir)).filter((f) => f.endsWith('.yaml') && f !== 'categories.yaml').map((f) => join(dir, f));

let failed = false;
for (const file of files) {
  const result = roleDocument.safeParse(parse(await readFile(file, 'utf8')));
  if (result.success) {
    const r = result.data;
    console.log(
      `ok   ${file}: ${r.rounds.length} rounds, ${r.questions.length} questions, ${r.tips.length} tips, ${r.faqs.length} faqs`,
    );
  } else {
    failed = true;
    console.log(`FAIL ${file}\n${z.prettifyError(result.error)}`);
  }
}
process.exit(failed ? 1 : 0);
