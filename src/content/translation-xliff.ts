import { AppError, type FieldError } from '../errors.js';
import type { CategoryDocument, RoleDocument } from './import-format.js';
import { canonicalTag } from './locales/tags.js';
import {
  categoryTexts,
  coverageIssues,
  roleTexts,
  roleTranslationDocument,
  translatedCategoryTexts,
  translatedTexts,
  type LocaleTranslations,
  type RoleTranslation,
  type TextField,
} from './translation-format.js';
import { readXliff, writeXliff, type XliffFile } from './xliff.js';

/*
 * A locale's texts for translators, as XLIFF 2.0: one <file> per role (`role.<slug>`) and one for the
 * category names (`categories`); a unit per text, its id the text's path in the translation format
 * (`title`, `questions.<id>.starExamples.0.action`, `categories.data.name`). Ids come from item ids
 * and field paths only, so they are the same in every export and a file can be merged back after
 * any number of other edits, as long as its source texts still say what they said.
 *
 * Reading a file back refuses it as a whole when any source text no longer matches the current
 * default-locale text (the translator translated something that has since changed), when it names
 * a role, category or text that does not exist, or when it is for another locale. Units a
 * translator has not done (no target, or state="initial") are reported and left alone.
 */

const SOURCE_LOCALE = 'en';
const CATEGORIES_FILE = 'categories';
const roleFile = (slug: string) => `role.${slug}`;
const unitId = (path: TextField['path']) => path.join('.');

export interface LocaleSources {
  roles: readonly RoleDocument[];
  categories: readonly CategoryDocument[];
}

/** Texts that are stale: translated from a source text that has changed since (phase 2 computes these). */
export type OutdatedPaths = ReadonlySet<string>;

function units(source: TextField[], target: TextField[], outdated: OutdatedPaths | undefined, file: string) {
  const targets = new Map(target.map((f) => [unitId(f.path), f.text]));
  return source.map((f) => {
    const id = unitId(f.path);
    const text = targets.get(id);
    const stale = outdated?.has(`${file}/${id}`) ?? false;
    return {
      id,
      source: f.text,
      target: text,
      state: text === undefined || stale ? ('initial' as const) : ('translated' as const),
    };
  });
}

/**
 * The XLIFF 2.0 text of a locale: every text of the given roles and the category names, with the
 * current translation as target where there is one (state `translated`, or `initial` when listed
 * in `outdated` as `<file>/<unit>`), and none where there is not.
 */
export function exportLocaleXliff(
  sources: LocaleSources,
  translations: LocaleTranslations,
  outdated?: OutdatedPaths,
): string {
  const files: XliffFile[] = sources.roles.map((role) => {
    const t = translations.roles.find((r) => r.role === role.slug);
    const file = roleFile(role.slug);
    return { id: file, units: units(roleTexts(role), t ? translatedTexts(t) : [], outdated, file) };
  });
  files.push({
    id: CATEGORIES_FILE,
    units: units(
      categoryTexts(sources.categories),
      translations.categories ? translatedCategoryTexts(translations.categories) : [],
      outdated,
      CATEGORIES_FILE,
    ),
  });
  return writeXliff({ srcLang: SOURCE_LOCALE, trgLang: translations.locale, files });
}

export interface XliffImport {
  /** Translated texts of each role in the file, by role slug. */
  roles: Map<string, TextField[]>;
  categories: TextField[];
  /** Units left alone: `<file>/<unit>`, no target or state initial. */
  untranslated: string[];
}

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * The translated texts of an XLIFF file for `locale`, each checked against the current source.
 * Throws AppError (400, `errors` naming each `<file>/<unit>`) and takes nothing when anything does
 * not match. Whitespace in sources is compared collapsed, since XLIFF tools may reflow it.
 */
export function importLocaleXliff(xml: string, locale: string, sources: LocaleSources): XliffImport {
  const doc = readXliff(xml);
  const errors: FieldError[] = [];
  if (canonicalTag(doc.srcLang) !== SOURCE_LOCALE)
    errors.push({ path: 'srcLang', message: `the source language is "${doc.srcLang}", not "${SOURCE_LOCALE}"` });
  if (canonicalTag(doc.trgLang) !== locale)
    errors.push({ path: 'trgLang', message: `the file translates into "${doc.trgLang}", not "${locale}"` });

  const out: XliffImport = { roles: new Map(), categories: [], untranslated: [] };
  const seenFiles = new Set<string>();
  for (const file of doc.files) {
    if (seenFiles.has(file.id)) errors.push({ path: file.id, message: 'the file is given twice' });
    seenFiles.add(file.id);
    const role = sources.roles.find((r) => roleFile(r.slug) === file.id);
    const current = file.id === CATEGORIES_FILE ? categoryTexts(sources.categories) : role ? roleTexts(role) : null;
    if (!current) {
      errors.push({ path: file.id, message: 'no role or category list of that name' });
      continue;
    }
    const bySource = new Map(current.map((f) => [unitId(f.path), f]));
    const taken: TextField[] = [];
    for (const unit of file.units) {
      const where = `${file.id}/${unit.id}`;
      const field = bySource.get(unit.id);
      if (!field) errors.push({ path: where, message: 'no such text' });
      else if (collapse(field.text) !== collapse(unit.source))
        errors.push({
          path: where,
          message: 'the source text has changed since this file was exported; export it again',
        });
      else if (unit.target === undefined || unit.state === 'initial' || unit.target.trim() === '')
        out.untranslated.push(where);
      else taken.push({ path: field.path, text: unit.target.trim() });
    }
    if (role) out.roles.set(role.slug, taken);
    else out.categories = taken;
  }
  if (errors.length > 0)
    throw new AppError('VALIDATION_FAILED', 'The XLIFF file does not match the current content; nothing was imported', {
      errors,
    });
  return out;
}

/**
 * A role translation with imported texts laid over the current one (or a new draft), checked by the
 * translation format and against the role's structure, and the paths whose text changed.
 */
export function mergeRoleTexts(
  role: RoleDocument,
  current: RoleTranslation | null,
  locale: string,
  texts: readonly TextField[],
): { translation: RoleTranslation; updated: string[] } {
  const merged = new Map((current ? translatedTexts(current) : []).map((f) => [unitId(f.path), f]));
  const updated: string[] = [];
  for (const f of texts) {
    if (merged.get(unitId(f.path))?.text !== f.text) updated.push(unitId(f.path));
    merged.set(unitId(f.path), f);
  }
  const doc = nest([...merged.values()]) as Record<string, unknown> & {
    questions?: Record<string, Record<string, unknown>>;
  };
  // Questions in the role's order, each keeping its own publish state; a new translation starts as a draft.
  const questions: Record<string, unknown> = {};
  for (const q of role.questions) {
    const texts = doc.questions?.[q.id];
    if (texts) questions[q.id] = { status: current?.questions[q.id]?.status ?? 'draft', ...texts };
  }
  const candidate = { ...doc, questions, locale, role: role.slug, status: current?.status ?? 'draft' };
  const parsed = roleTranslationDocument.safeParse(candidate);
  const issues = parsed.success
    ? coverageIssues(role, parsed.data)
    : parsed.error.issues.map((i) => ({ path: i.path as (string | number)[], message: i.message }));
  if (!parsed.success || issues.length > 0) {
    throw new AppError(
      'VALIDATION_FAILED',
      `The translation of "${role.slug}" into ${locale} is not complete or not valid`,
      {
        errors: issues.map((i) => ({ path: unitId(i.path), message: i.message })),
      },
    );
  }
  return { translation: parsed.data, updated };
}

/** The inverse of the translation format's text list: texts at their paths, numbers making lists. */
function nest(fields: readonly TextField[]): unknown {
  const root: Record<string, unknown> = {};
  for (const { path, text } of fields) {
    let node: Record<string | number, unknown> = root;
    path.forEach((key, i) => {
      if (i === path.length - 1) node[key] = text;
      else node = (node[key] ??= typeof path[i + 1] === 'number' ? [] : {}) as Record<string | number, unknown>;
    });
  }
  return root;
}
