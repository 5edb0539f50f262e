import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { z } from 'zod';
import { AppError, fieldErrors } from '../errors.js';
import { SEED_DIR } from './seed.js';
import {
  categoriesTranslationDocument,
  roleTranslationDocument,
  type LocaleTranslations,
  type RoleTranslation,
} from './translation-format.js';

/*
 * Translations shipped with the seed: seed/translations/<locale>/categories.yaml (category names)
 * and seed/translations/<locale>/<role-slug>.yaml (one role's texts), in the translation format
 * (translation-format.ts). seed.ts reads only the top level of seed/, so these wait for phase 2 of
 * localization to be imported; until then tests and `src/cli/check-translations.ts` hold them to
 * the structure of their English roles.
 */

const TRANSLATIONS_DIR = join(SEED_DIR, 'translations');

function parseFile<T extends z.ZodType>(schema: T, file: string, text: string): z.infer<T> {
  const result = schema.safeParse(parse(text));
  if (!result.success) {
    throw new AppError('VALIDATION_FAILED', `${file} is not a valid translation`, {
      errors: fieldErrors(result.error.issues),
    });
  }
  return result.data;
}

/**
 * Every locale folder under `dir`, each file checked by the translation format. A file must name the
 * locale of its folder, and a role file must be named after the role it translates.
 */
export async function readSeedTranslations(dir = TRANSLATIONS_DIR): Promise<LocaleTranslations[]> {
  const out: LocaleTranslations[] = [];
  const folders = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  for (const locale of folders.sort()) {
    const roles: RoleTranslation[] = [];
    const entry: LocaleTranslations & { roles: RoleTranslation[] } = { locale, categories: null, roles };
    const files = (await readdir(join(dir, locale))).filter((f) => f.endsWith('.yaml')).sort();
    for (const file of files) {
      const name = `translations/${locale}/${file}`;
      const text = await readFile(join(dir, locale, file), 'utf8');
      const doc =
        file === 'categories.yaml'
          ? parseFile(categoriesTranslationDocument, name, text)
          : parseFile(roleTranslationDocument, name, text);
      if (doc.locale !== locale) throw mismatch(name, 'locale', `says "${doc.locale}" in the folder of "${locale}"`);
      if ('role' in doc) {
        if (`${doc.role}.yaml` !== file)
          throw mismatch(name, 'role', `translates "${doc.role}", so name it ${doc.role}.yaml`);
        entry.roles.push(doc);
      } else entry.categories = doc;
    }
    out.push(entry);
  }
  return out;
}

const mismatch = (file: string, path: string, message: string) =>
  new AppError('VALIDATION_FAILED', `${file} is not a valid translation`, { errors: [{ path, message }] });
