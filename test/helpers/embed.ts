import type { FastifyInstance } from 'fastify';
import { questionInput, send } from './admin.js';
import { roleBySlug } from './seed-files.js';

/** Text a careless page would run or break on: markup, entities, quotes and a script end tag. */
export const HOSTILE = {
  prompt: 'Why does <img src=x onerror="alert(1)"> & "quoting" break a page?',
  whyAsked: 'It checks that text stays text: </script><script>alert(2)</script> must not end a script.',
};

/** Publishes a question with HOSTILE text in senior-backend-developer; returns its id. */
export async function publishHostileQuestion(app: FastifyInstance): Promise<string> {
  const round = roleBySlug('senior-backend-developer').rounds[0]!.name;
  const created = await send<{ data: { id: string } }>(
    app,
    'POST',
    '/v1/admin/roles/senior-backend-developer/questions',
    questionInput({ ...HOSTILE, round }),
  );
  if (created.status !== 201)
    throw new Error(`creating the question answered ${created.status}: ${JSON.stringify(created.body)}`);
  const id = created.body.data.id;
  const published = await send(app, 'POST', `/v1/admin/questions/${id}/publish`);
  if (published.status !== 200) throw new Error(`publishing answered ${published.status}`);
  return id;
}

/** The JSON-LD blocks of an HTML page, parsed. */
export function jsonLdOf(html: string): Record<string, unknown>[] {
  return [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map(
    (m) => JSON.parse(m[1]!) as Record<string, unknown>,
  );
}
