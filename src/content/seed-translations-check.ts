import type { ImportBundle } from './import-writer.js';
import { untranslatedTexts } from './translation-check.js';
import {
  categoryCoverageIssues,
  categoryTexts,
  coverageIssues,
  roleTexts,
  translatedCategoryTexts,
  translatedTexts,
  type LocaleTranslations,
} from './translation-format.js';

/**
 * Texts rightly the same in a language as in English, by locale and path: a reviewer decided each.
 * German says Design and Mentoring too (both in the Duden).
 */
const SAME_AS_ENGLISH: Readonly<Record<string, readonly string[]>> = {
  de: ['categories.design.name', 'questions.91521578-1be4-44b2-a5ce-71d14e1de797.competency'],
};

export interface TranslationProblem {
  file: string;
  path: string;
  message: string;
}

/** What is wrong with the seed's translations: coverage of their English roles, and English left in them. */
export function translationProblems(seed: ImportBundle, locales: readonly LocaleTranslations[]): TranslationProblem[] {
  const problems: TranslationProblem[] = [];
  for (const { locale, categories, roles } of locales) {
    const same = new Set(SAME_AS_ENGLISH[locale] ?? []);
    const add = (file: string, items: { path: (string | number)[]; message?: string; reason?: string }[]) =>
      problems.push(
        ...items.map((i) => ({
          file: `translations/${locale}/${file}`,
          path: i.path.join('.'),
          message: (i.message ?? i.reason)!,
        })),
      );
    if (categories) {
      add('categories.yaml', categoryCoverageIssues(seed.categories, categories));
      add(
        'categories.yaml',
        untranslatedTexts(categoryTexts(seed.categories), translatedCategoryTexts(categories), same),
      );
    }
    for (const t of roles) {
      const file = `${t.role}.yaml`;
      const source = seed.roles.find((r) => r.slug === t.role);
      if (!source) {
        add(file, [{ path: ['role'], message: `no role "${t.role}" in seed/` }]);
        continue;
      }
      add(file, coverageIssues(source, t));
      add(file, untranslatedTexts(roleTexts(source), translatedTexts(t), same));
    }
  }
  return problems;
}
