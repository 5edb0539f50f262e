import { describe, expect, it } from 'vitest';
import { readSeedTranslations } from '../../src/content/seed-translations.js';
import { translationProblems } from '../../src/content/seed-translations-check.js';
import { untranslatedTexts } from '../../src/content/translation-check.js';
import {
  coverageIssues,
  roleTexts,
  roleTranslationDocument,
  translatedTexts,
  type RoleTranslation,
} from '../../src/content/translation-format.js';
import { roleBySlug, seedBundle } from '../helpers/seed-files.js';

const locales = await readSeedTranslations();
const role = roleBySlug('senior-backend-developer');
const german = locales.find((l) => l.locale === 'de')!.roles.find((r) => r.role === role.slug)!;
const copy = (t: RoleTranslation): RoleTranslation => structuredClone(t);

describe('the seed translations', () => {
  it('ship Senior Backend Developer and the category names in German and Spanish', () => {
    expect(locales.map((l) => l.locale)).toEqual(['de', 'es']);
    for (const l of locales) {
      expect(l.roles.map((r) => r.role)).toEqual(['senior-backend-developer']);
      expect(Object.keys(l.categories!.categories)).toEqual(seedBundle.categories.map((c) => c.slug));
    }
  });

  it('each cover exactly the texts of their English role, none left in English', () => {
    expect(translationProblems(seedBundle, locales)).toEqual([]);
    for (const l of locales) {
      const t = l.roles[0]!;
      expect(translatedTexts(t).map((f) => f.path)).toEqual(roleTexts(role).map((f) => f.path));
      expect(Object.keys(t.questions)).toEqual(role.questions.map((q) => q.id));
    }
  });
});

describe('the coverage check', () => {
  it('names a missing question, an added tip and a missing STAR part by path', () => {
    const t = copy(german);
    const [first] = role.questions;
    delete t.questions[first!.id];
    t.tips.push('Ein Tipp, den es auf Englisch nicht gibt.');
    t.questions[role.questions[1]!.id]!.starExamples.push({ ...t.questions[role.questions[1]!.id]!.starExamples[0]! });
    const issues = coverageIssues(role, t);
    expect(issues).toContainEqual({
      path: ['questions', first!.id, 'prompt'],
      message: 'missing: the source has this text',
    });
    expect(issues).toContainEqual({
      path: ['tips', role.tips.length],
      message: 'not in the source: a translation cannot add items',
    });
    expect(issues).toContainEqual({
      path: ['questions', role.questions[1]!.id, 'starExamples', 1, 'situation'],
      message: 'not in the source: a translation cannot add items',
    });
    expect(issues.every((i) => i.path[0] !== 'title')).toBe(true);
  });

  it('refuses questions in another order than the role’s, and a translation of another role', () => {
    const t = copy(german);
    const entries = Object.entries(t.questions);
    t.questions = Object.fromEntries([entries[1]!, entries[0]!, ...entries.slice(2)]);
    expect(coverageIssues(role, t)).toEqual([
      { path: ['questions'], message: 'questions must be listed in the order of the role' },
    ]);
    expect(coverageIssues(roleBySlug('ux-designer'), german)[0]).toEqual({
      path: ['role'],
      message: 'translates "senior-backend-developer", not "ux-designer"',
    });
  });
});

describe('the translation format', () => {
  const input = () => JSON.parse(JSON.stringify(german)) as Record<string, unknown> & RoleTranslation;

  it('refuses structure repeated in a translation, naming the field', () => {
    const doc = input();
    (doc.questions[role.questions[0]!.id] as Record<string, unknown>).difficulty = 'easy';
    (doc.rounds[0] as Record<string, unknown>).durationMinutes = 30;
    const result = roleTranslationDocument.safeParse(doc);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => [i.path.join('.'), i.code])).toEqual([
      ['rounds.0', 'unrecognized_keys'],
      [`questions.${role.questions[0]!.id}`, 'unrecognized_keys'],
    ]);
  });

  it('holds each text to the rules of the field it translates, and round names unique', () => {
    const doc = input();
    doc.title = ' ';
    doc.questions[role.questions[0]!.id]!.pitfalls[0] = '';
    doc.rounds[1]!.name = doc.rounds[0]!.name;
    doc.locale = 'de-ch';
    const result = roleTranslationDocument.safeParse(doc);
    expect(result.error!.issues.map((i) => i.path.join('.')).sort()).toEqual(
      ['locale', `questions.${role.questions[0]!.id}.pitfalls.0`, 'rounds.1.name', 'title'].sort(),
    );
    expect(result.error!.issues).toContainEqual(
      expect.objectContaining({ path: ['rounds', 1, 'name'], message: 'round names must be unique within a role' }),
    );
  });
});

describe('the check for English left in a translation', () => {
  it('flags a text copied from the source, or written in English, and passes German', () => {
    const source = roleTexts(role);
    const t = copy(german);
    t.summary = role.summary;
    t.tips[0] = 'Practice the design out loud with a timer and explain your trade-offs to a friend.';
    t.faqs[0]!.question = 'Was sollte ich zuerst lernen, when the loop starts?';
    const mentoring = new Set(['questions.91521578-1be4-44b2-a5ce-71d14e1de797.competency']);
    expect(untranslatedTexts(source, translatedTexts(t), mentoring).map((u) => u.path.join('.'))).toEqual([
      'summary',
      'tips.0',
      'faqs.0.question',
    ]);
    expect(untranslatedTexts(source, translatedTexts(german), mentoring)).toEqual([]);
    expect(untranslatedTexts(source, translatedTexts(german)).map((u) => u.reason)).toEqual(['the same as the source']);
  });
});
