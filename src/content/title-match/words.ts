/*
 * How job ads write titles, as data: the spellings and abbreviations the matcher reads as one
 * word, the words that say a level rather than a role, and the words that say nothing about the
 * role at all. Everything is lower case; tokens.ts applies these in the order they appear here.
 */

/** Runs of words read as other words ("front end" is "frontend"); applied first, longest first. */
export const WORD_RUNS: readonly (readonly [readonly string[], readonly string[]])[] = [
  [['ruby', 'on', 'rails'], ['rails']],
  [['vice', 'president'], ['head']],
  [['front', 'end'], ['frontend']],
  [['back', 'end'], ['backend']],
  [['full', 'stack'], ['fullstack']],
  [['user', 'experience'], ['ux']],
  [['user', 'interface'], ['ui']],
  [['dev', 'ops'], ['devops']],
  [['data', 'ops'], ['dataops']],
  [['e', 'commerce'], ['ecommerce']],
  [['head', 'of'], ['head']],
  [['tech', 'lead'], ['lead']],
  [['technical', 'lead'], ['lead']],
  [['team', 'lead'], ['lead']],
  [['team', 'leader'], ['lead']],
  [
    ['eng', 'manager'],
    ['engineering', 'manager'],
  ],
  [
    ['eng', 'management'],
    ['engineering', 'management'],
  ],
  [
    ['eng', 'director'],
    ['engineering', 'head'],
  ],
  [['new', 'grad'], ['junior']],
  [['new', 'graduate'], ['junior']],
  [['entry', 'level'], ['junior']],
  [['mid', 'level'], ['mid']],
  [['mid', 'senior'], ['senior']],
  [['working', 'student'], ['intern']],
  [['full', 'time'], []],
  [['part', 'time'], []],
  [['on', 'site'], []],
  [['all', 'genders'], []],
];

/** One word read as others: abbreviations, spellings, and words job ads use interchangeably. */
export const WORD_FORMS: Readonly<Record<string, readonly string[]>> = {
  sr: ['senior'],
  snr: ['senior'],
  jr: ['junior'],
  jnr: ['junior'],
  // Developer, engineer and programmer name the same jobs in software ads.
  developer: ['engineer'],
  dev: ['engineer'],
  programmer: ['engineer'],
  coder: ['engineer'],
  eng: ['engineer'],
  engr: ['engineer'],
  mgr: ['manager'],
  mngr: ['manager'],
  mgmt: ['management'],
  swe: ['software', 'engineer'],
  sde: ['software', 'development', 'engineer'],
  sre: ['site', 'reliability', 'engineer'],
  pm: ['product', 'manager'],
  apm: ['associate', 'product', 'manager'],
  tpm: ['technical', 'program', 'manager'],
  ml: ['machine', 'learning'],
  qa: ['quality', 'assurance'],
  bi: ['business', 'intelligence'],
  golang: ['go'],
  nodejs: ['node'],
  reactjs: ['react'],
  vuejs: ['vue'],
  nextjs: ['next'],
  '.net': ['dotnet'],
  'asp.net': ['dotnet'],
  director: ['head'],
  vp: ['head'],
  svp: ['head'],
  leader: ['lead'],
  internship: ['intern'],
  trainee: ['intern'],
  apprentice: ['intern'],
  graduate: ['junior'],
  associate: ['junior'],
  entry: ['junior'],
  intermediate: ['mid'],
  medior: ['mid'],
  midlevel: ['mid'],
};

/** Words that say how senior the job is, not which job: left out when titles are compared. */
export const LEVEL_WORDS = new Set([
  'intern',
  'junior',
  'mid',
  'senior',
  'staff',
  'principal',
  'distinguished',
  'i',
  'ii',
  'iii',
  'iv',
  'v',
  '1',
  '2',
  '3',
  '4',
  '5',
]);

/**
 * Words that say the job leads: a job title never loses for having one ("Backend Lead" is still a
 * backend job), but an alternative title that has one needs it ("Engineering Lead" is not any job
 * in engineering).
 */
export const LEAD_WORDS = new Set(['lead', 'head']);

/** Words that carry nothing about the job. */
export const IGNORED_WORDS = new Set([
  'a',
  'an',
  'and',
  'at',
  'for',
  'in',
  'of',
  'on',
  'or',
  'the',
  'to',
  'with',
  'our',
  'remote',
  'hybrid',
  'onsite',
  'contract',
  'contractor',
  'freelance',
  'freelancer',
  'temporary',
  'temp',
  'permanent',
  'fulltime',
  'parttime',
  'urgent',
  'hiring',
  'wanted',
  'needed',
  'opening',
  'position',
  'job',
  'level',
]);

/**
 * Manager as a level (an engineering manager manages people) unless it is the name of an
 * individual contributor's job (a product manager does not).
 */
export const MANAGER_IS_A_JOB_AFTER = new Set(['product', 'project', 'program', 'programme', 'account', 'delivery']);
