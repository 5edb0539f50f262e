import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { readSeedTranslations } from '../../src/content/seed-translations.js';
import type { RoleDocument } from '../../src/content/import-format.js';
import { exportLocaleXliff, importLocaleXliff, mergeRoleTexts } from '../../src/content/translation-xliff.js';
import { readXliff, writeXliff } from '../../src/content/xliff.js';
import { roleBySlug, seedBundle } from '../helpers/seed-files.js';

const [german] = await readSeedTranslations();
const role = roleBySlug('senior-backend-developer');
const sources = { roles: [role], categories: seedBundle.categories };
const germanRole = german!.roles[0]!;
const firstQuestion = role.questions[0]!.id;

function refusal(run: () => unknown): { detail: string; errors: { path: string; message: string }[] } {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    const e = error as AppError;
    expect(e.status).toBe(400);
    return { detail: e.message, errors: e.errors ?? [] };
  }
  throw new Error('expected a refusal');
}

describe('a locale as XLIFF 2.0', () => {
  it('round-trips: export, import, merge gives the translation back unchanged', () => {
    const xml = exportLocaleXliff(sources, german!);
    expect(xml).toContain(
      '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="de">',
    );
    expect(xml).toContain(`<unit id="questions.${firstQuestion}.starExamples.0.situation">`);
    // As a Windows tool saves it: with a byte-order mark and CRLF line ends.
    const imported = importLocaleXliff(`\uFEFF${xml.replaceAll('\n', '\r\n')}`, 'de', sources);
    expect(imported.untranslated).toEqual([]);
    const merged = mergeRoleTexts(role, germanRole, 'de', imported.roles.get(role.slug)!);
    expect(merged.translation).toEqual(germanRole);
    expect(merged.updated).toEqual([]);
    expect(imported.categories.map((c) => c.text)).toEqual(
      Object.values(german!.categories!.categories).map((c) => c.name),
    );
  });

  it('gives every unit the same id in every export, whatever the texts say', () => {
    const ids = (xml: string) => readXliff(xml).files.flatMap((f) => f.units.map((u) => `${f.id}/${u.id}`));
    const empty = exportLocaleXliff(sources, { locale: 'de', roles: [], categories: null });
    expect(ids(empty)).toEqual(ids(exportLocaleXliff(sources, german!)));
    expect(new Set(ids(empty)).size).toBe(ids(empty).length);
    // Untranslated units carry no target and say so.
    const unit = readXliff(empty).files[0]!.units[0]!;
    expect(unit).toEqual({ id: 'title', source: role.title, target: undefined, state: 'initial' });
  });

  it('takes what a translator changed, reports it, and leaves units not done alone', () => {
    let xml = exportLocaleXliff(sources, german!);
    xml = xml.replace(
      `<target>${germanRole.title}</target>`,
      '<target>Senior Backend Engineer (m/w/d) &amp; mehr</target>',
    );
    xml = xml.replace(/(<unit id="tips\.0">\s*<segment) state="translated"/, '$1 state="initial"');
    const imported = importLocaleXliff(xml, 'de', sources);
    expect(imported.untranslated).toEqual(['role.senior-backend-developer/tips.0']);
    const merged = mergeRoleTexts(role, germanRole, 'de', imported.roles.get(role.slug)!);
    expect(merged.updated).toEqual(['title']);
    expect(merged.translation.title).toBe('Senior Backend Engineer (m/w/d) & mehr');
    expect(merged.translation.tips[0]).toBe(germanRole.tips[0]);
  });

  it('refuses the whole file when a source text has changed since the export, naming each unit', () => {
    const xml = exportLocaleXliff(sources, german!);
    const edited: RoleDocument = structuredClone(role);
    edited.questions[0]!.prompt = 'A reworded prompt that the translator never saw.';
    edited.faqs[1]!.answer = `${edited.faqs[1]!.answer} One more sentence.`;
    const { detail, errors } = refusal(() => importLocaleXliff(xml, 'de', { ...sources, roles: [edited] }));
    expect(detail).toMatch(/nothing was imported/);
    expect(errors.map((e) => e.path)).toEqual([
      `role.senior-backend-developer/questions.${firstQuestion}.prompt`,
      'role.senior-backend-developer/faqs.1.answer',
    ]);
    expect(errors[0]!.message).toMatch(/source text has changed/);
  });

  it('refuses a file for another locale, another source language, or texts that do not exist', () => {
    const xml = exportLocaleXliff(sources, german!);
    expect(refusal(() => importLocaleXliff(xml, 'es', sources)).errors).toEqual([
      { path: 'trgLang', message: 'the file translates into "de", not "es"' },
    ]);
    const odd = xml
      .replace('srcLang="en"', 'srcLang="fr"')
      .replace('<file id="categories">', '<file id="role.no-such-role">')
      .replace('<unit id="summary">', '<unit id="salary">');
    expect(refusal(() => importLocaleXliff(odd, 'de', sources)).errors.map((e) => e.path)).toEqual([
      'srcLang',
      'role.senior-backend-developer/salary',
      'role.no-such-role',
    ]);
  });

  it('joins a unit a translation tool split into sentences', () => {
    const [first, second] = ['Erster Satz.', 'Zweiter Satz.'];
    const cut = role.summary.indexOf('. ') + 1;
    const xml = exportLocaleXliff(sources, german!).replace(
      /<unit id="summary">[\s\S]*?<\/unit>/,
      `<unit id="summary"><segment state="translated"><source>${role.summary.slice(0, cut)}</source><target>${first}</target></segment>` +
        `<ignorable><source> </source></ignorable>` +
        `<segment state="reviewed"><source>${role.summary.slice(cut + 1)}</source><target>${second}</target></segment></unit>`,
    );
    const imported = importLocaleXliff(xml, 'de', sources);
    expect(imported.roles.get(role.slug)!.find((f) => f.path[0] === 'summary')!.text).toBe(`${first} ${second}`);
  });

  it('refuses a translation the role’s structure cannot take, naming the path', () => {
    const texts = importLocaleXliff(exportLocaleXliff(sources, german!), 'de', sources).roles.get(role.slug)!;
    const { errors } = refusal(() =>
      mergeRoleTexts(
        role,
        null,
        'de',
        texts.filter((f) => f.path.join('.') !== `questions.${firstQuestion}.pitfalls.1`),
      ),
    );
    expect(errors.map((e) => e.path)).toContain(`questions.${firstQuestion}.pitfalls.1`);
    // Complete, a new translation starts as a draft.
    expect(mergeRoleTexts(role, null, 'de', texts).translation.status).toBe('draft');
  });
});

describe('XLIFF text', () => {
  const markup = 'Use <b>bold</b> & "quotes" \'single\' ]]> <![CDATA[x]]> &amp; {{var}} %s \u00a0 émoji 🚀 \r\n line';

  it('carries markup-like characters as text, exactly', () => {
    const xml = writeXliff({
      srcLang: 'en',
      trgLang: 'de',
      files: [
        {
          id: 'f',
          units: [{ id: 'u', source: markup, target: `<script>alert(1)</script>${markup}`, state: 'translated' }],
        },
      ],
    });
    expect(xml).not.toContain('<b>');
    expect(xml).not.toContain('<script>');
    expect(readXliff(xml).files[0]!.units[0]).toEqual({
      id: 'u',
      source: markup,
      target: `<script>alert(1)</script>${markup}`,
      state: 'translated',
    });
  });

  it('refuses what is not plain-text XLIFF 2, saying where', () => {
    const wrap = (unit: string, extra = '') =>
      `<?xml version="1.0"?>${extra}<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="de"><file id="f">${unit}</file></xliff>`;
    const cases: [string, RegExp][] = [
      ['<xliff', /not well-formed XML/],
      [
        wrap('<unit id="u"><segment><source>&e;</source></segment></unit>', '<!DOCTYPE xliff [<!ENTITY e "boom">]>'),
        /not well-formed|DOCTYPE/,
      ],
      [
        wrap('<unit id="u"><segment><source>a</source></segment></unit>').replace('2.0" srcLang', '1.2" srcLang'),
        /XLIFF 1.2 is not 2.0/,
      ],
      ['<xliff version="1.2"/>', /root element/],
      [wrap('<unit id="u"><segment><source>a <ph id="1"/></source></segment></unit>'), /f\/u: <ph> in <source>/],
      [wrap('<unit id="u"><segment state="done"><source>a</source></segment></unit>'), /unknown segment state "done"/],
      [
        wrap(
          '<unit id="u"><segment><source>a</source></segment></unit><unit id="u"><segment><source>b</source></segment></unit>',
        ),
        /f\/u: the unit is given twice/,
      ],
    ];
    for (const [xml, message] of cases) expect(refusal(() => readXliff(xml)).detail, xml).toMatch(message);
    expect(() =>
      writeXliff({
        srcLang: 'en',
        trgLang: 'de',
        files: [{ id: 'f', units: [{ id: 'u', source: 'bell \u0007', state: 'initial' }] }],
      }),
    ).toThrow(/control character/);
  });
});
