import { z } from 'zod';
import { categoryDocument, questionDocument, roleFields, roundDocument } from './import-format.js';
import { canonicalTag, isContentLocaleTag } from './locales/tags.js';
import type { CategoryDocument, RoleDocument } from './import-format.js';
import { slug } from './vocabulary.js';

/*
 * The translation format: the texts of one role in one locale, and the category names in one
 * locale. Structure (which rounds and questions, their order, ids, slugs, difficulty, tags,
 * durations, percents) lives only in the default locale's document (import-format.ts); a
 * translation holds texts and says where each goes:
 * - questions by id (a map in the role's order),
 * - everything without an id by its place in the role's list (format breakdown, rounds, tips,
 *   FAQs, and inside a question its STAR examples and pitfalls),
 * - categories by slug.
 * Each text is checked by the very schema of the field it translates, so a German prompt has the
 * same limits as the English one. Objects are strict: a translation that repeats a structural
 * field (difficulty, durationMinutes) is refused, not silently ignored.
 */

/** Translations are drafted and published per locale; archiving belongs to the item itself. */
const translationStatus = z.enum(['draft', 'published']);

const localeCode = z
  .string()
  .refine(
    (code) => isContentLocaleTag(code) && canonicalTag(code) === code,
    'must be a BCP 47 language tag in canonical form, such as "de" or "de-CH"',
  );

const starExample = questionDocument.shape.starExamples.element;
const formatSegment = roleFields.shape.formatBreakdown.unwrap().element;
const faq = roleFields.shape.faqs.unwrap().element;

const questionTranslation = z.strictObject({
  status: translationStatus.default('published'),
  prompt: questionDocument.shape.prompt,
  competency: questionDocument.shape.competency,
  whyAsked: questionDocument.shape.whyAsked,
  howToAnswer: questionDocument.shape.howToAnswer,
  starExamples: z.array(z.strictObject(starExample.shape)),
  pitfalls: z.array(questionDocument.shape.pitfalls.element),
});

export const roleTranslationDocument = z
  .strictObject({
    locale: localeCode,
    /** The slug of the role translated. */
    role: slug,
    status: translationStatus.default('published'),
    title: roleFields.shape.title,
    summary: roleFields.shape.summary,
    formatBreakdown: z.array(z.strictObject({ label: formatSegment.shape.label })).default([]),
    rounds: z.array(z.strictObject({ name: roundDocument.shape.name, focus: roundDocument.shape.focus })).default([]),
    questions: z.record(z.uuid(), questionTranslation).default({}),
    tips: z.array(roleFields.shape.tips.unwrap().element).default([]),
    faqs: z.array(z.strictObject(faq.shape)).default([]),
  })
  .superRefine((t, ctx) => {
    // Readers filter questions by round name (?round=), so names stay unique in every locale.
    const names = new Set<string>();
    t.rounds.forEach((round, i) => {
      if (names.has(round.name))
        ctx.addIssue({
          code: 'custom',
          path: ['rounds', i, 'name'],
          message: 'round names must be unique within a role',
        });
      names.add(round.name);
    });
  });

export const categoriesTranslationDocument = z.strictObject({
  locale: localeCode,
  categories: z.record(slug, z.strictObject({ name: categoryDocument.shape.name })),
});

export type RoleTranslation = z.infer<typeof roleTranslationDocument>;
export type CategoriesTranslation = z.infer<typeof categoriesTranslationDocument>;

/** Everything translated into one locale: role texts and category names. */
export interface LocaleTranslations {
  locale: string;
  roles: readonly RoleTranslation[];
  categories: CategoriesTranslation | null;
}

/** One translatable text: where it is (a path into the document) and what it says. */
export interface TextField {
  path: (string | number)[];
  text: string;
}

/**
 * Every translatable text of a role, in page order, with the path a translation gives it. The one
 * list of what is translated: the coverage check and the XLIFF export both read it.
 */
export function roleTexts(role: RoleDocument): TextField[] {
  return textsOf({
    title: role.title,
    summary: role.summary,
    formatBreakdown: role.formatBreakdown.map((s) => ({ label: s.label })),
    rounds: role.rounds.map((r) => ({ name: r.name, focus: r.focus })),
    questions: Object.fromEntries(
      role.questions.map((q) => [
        q.id,
        {
          prompt: q.prompt,
          competency: q.competency,
          whyAsked: q.whyAsked,
          howToAnswer: q.howToAnswer,
          starExamples: q.starExamples,
          pitfalls: q.pitfalls,
        },
      ]),
    ),
    tips: role.tips,
    faqs: role.faqs,
  });
}

/** The texts of a translation, with the same paths as roleTexts gives the source. */
export function translatedTexts(t: RoleTranslation): TextField[] {
  return textsOf({
    title: t.title,
    summary: t.summary,
    formatBreakdown: t.formatBreakdown,
    rounds: t.rounds,
    questions: Object.fromEntries(Object.entries(t.questions).map(([id, { status: _, ...texts }]) => [id, texts])),
    tips: t.tips,
    faqs: t.faqs,
  });
}

/** The category names, under `categories.<slug>.name`. */
export function categoryTexts(categories: readonly CategoryDocument[]): TextField[] {
  return categories.map((c) => ({ path: ['categories', c.slug, 'name'], text: c.name }));
}

export function translatedCategoryTexts(t: CategoriesTranslation): TextField[] {
  return Object.entries(t.categories).map(([s, c]) => ({ path: ['categories', s, 'name'], text: c.name }));
}

type Texts = string | readonly Texts[] | { readonly [key: string]: Texts };

function textsOf(value: Texts, path: (string | number)[] = []): TextField[] {
  if (typeof value === 'string') return [{ path, text: value }];
  if (Array.isArray(value)) return value.flatMap((v: Texts, i) => textsOf(v, [...path, i]));
  return Object.entries(value).flatMap(([k, v]) => textsOf(v, [...path, k]));
}

export interface CoverageIssue {
  path: (string | number)[];
  message: string;
}

/**
 * Where a translation and its source differ in structure: a text the source has and the
 * translation lacks, a text the source does not have, questions in another order, or a translation
 * of another role. Empty when every text of the source is translated and nothing else is.
 * Paths are those of the translation document, as zod would report them.
 */
export function coverageIssues(source: RoleDocument, t: RoleTranslation): CoverageIssue[] {
  const issues: CoverageIssue[] = [];
  if (t.role !== source.slug) issues.push({ path: ['role'], message: `translates "${t.role}", not "${source.slug}"` });
  issues.push(...compareTexts(roleTexts(source), translatedTexts(t)));
  const order = source.questions.map((q) => q.id).filter((id) => id in t.questions);
  if (issues.length === 0 && Object.keys(t.questions).join() !== order.join()) {
    issues.push({ path: ['questions'], message: 'questions must be listed in the order of the role' });
  }
  return issues;
}

/** The same for the category names of a locale. */
export function categoryCoverageIssues(source: readonly CategoryDocument[], t: CategoriesTranslation): CoverageIssue[] {
  return compareTexts(categoryTexts(source), translatedCategoryTexts(t));
}

function compareTexts(source: TextField[], translated: TextField[]): CoverageIssue[] {
  const key = (f: TextField) => f.path.join('\u0000');
  const have = new Set(translated.map(key));
  const want = new Set(source.map(key));
  return [
    ...source
      .filter((f) => !have.has(key(f)))
      .map((f) => ({ path: f.path, message: 'missing: the source has this text' })),
    ...translated
      .filter((f) => !want.has(key(f)))
      .map((f) => ({ path: f.path, message: 'not in the source: a translation cannot add items' })),
  ];
}
