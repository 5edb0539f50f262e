// Checks the seed's translations without a database: each file in the translation format, covering
// exactly the texts of its English role (nothing missing, nothing added), none left in English.
// Usage: npx tsx src/cli/check-translations.ts
import { readSeed } from '../content/seed.js';
import { readSeedTranslations } from '../content/seed-translations.js';
import { translationProblems } from '../content/seed-translations-check.js';

const problems = translationProblems(await readSeed(), await readSeedTranslations());
for (const p of problems) console.log(`FAIL ${p.file}: ${p.path}: ${p.message}`);
if (problems.length === 0) console.log('ok   every translation covers its role, and nothing is left in English');
process.exit(problems.length > 0 ? 1 : 0);
