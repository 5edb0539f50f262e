import type { FastifyInstance } from 'fastify';

/** The admin key every admin test app starts with (BOOTSTRAP_ADMIN_KEY, all scopes). */
export const ADMIN_KEY = 'test-bootstrap-admin-key-7f3c9a1e5b2d4f60';
export const adminEnv = { BOOTSTRAP_ADMIN_KEY: ADMIN_KEY };

export interface Sent<T = Record<string, unknown>> {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: T;
}

/** A request as a content tool sends it: JSON body, bearer key (the admin one unless told). */
export async function send<T = Record<string, unknown>>(
  app: FastifyInstance,
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
  key: string | null = ADMIN_KEY,
): Promise<Sent<T>> {
  const res = await app.inject({
    method,
    url,
    ...(body === undefined ? {} : { payload: body as object }),
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
  });
  // JSON answers parsed; pages (embed, problem types) as their text.
  const json = String(res.headers['content-type'] ?? '').includes('json');
  return {
    status: res.statusCode,
    headers: res.headers,
    body: (res.body ? (json ? JSON.parse(res.body) : res.body) : undefined) as T,
  };
}

/** A complete, valid role page without questions. */
export function roleInput(slug: string, overrides: Record<string, unknown> = {}) {
  return {
    slug,
    title: 'Quality Engineer',
    category: 'engineering',
    seniority: 'mid',
    track: 'technical',
    summary: 'Quality engineering loops test automation design, risk-based test strategy and release judgement.',
    formatBreakdown: [
      { label: 'Test Design', percent: 60 },
      { label: 'Behavioral', percent: 40 },
    ],
    rounds: [
      { name: 'Screen', focus: 'Background, test strategy basics and tooling.', durationMinutes: 30 },
      { name: 'Practical', focus: 'Designing tests for a real feature under time pressure.', durationMinutes: 60 },
    ],
    tips: ['Bring one story about a defect you caught before release.'],
    faqs: [
      { question: 'Is coding tested?', answer: 'Usually a short automation exercise in the language of the team.' },
    ],
    relatedRoles: ['frontend-developer'],
    ...overrides,
  };
}

/** A complete, valid question for a role with the rounds above. */
export function questionInput(overrides: Record<string, unknown> = {}) {
  return {
    prompt: 'How do you decide what to automate first?',
    round: 'Screen',
    competency: 'test strategy',
    whyAsked: 'Interviewers want to see that automation effort follows risk and value, not habit.',
    howToAnswer: 'Explain how you weigh risk, frequency and cost, then give one concrete example with numbers.',
    difficulty: 'medium',
    tags: ['automation'],
    starExamples: [
      {
        situation: 'Our release regression took three days of manual work every sprint.',
        task: 'I had to cut that time without letting critical defects through.',
        action: 'I ranked flows by usage and incident history and automated the top ten first.',
        result: 'Regression dropped to four hours and escaped defects fell by a third in a quarter.',
      },
    ],
    pitfalls: ['Automating everything at once', 'Ignoring flaky tests'],
    ...overrides,
  };
}
