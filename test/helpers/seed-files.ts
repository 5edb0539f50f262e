import { randomUUID } from 'node:crypto';
import { readSeed } from '../../src/content/seed.js';

/** The seed as files say it, to compare what the API answers against. */
export const seedBundle = await readSeed();
export const published = seedBundle.roles.filter((r) => r.status === 'published');
export const roleBySlug = (slug: string) => {
  const role = seedBundle.roles.find((r) => r.slug === slug);
  if (!role) throw new Error(`no seed role ${slug}`);
  return role;
};

/** The seed's roles, copied under new slugs with new question ids: an import of only new roles. */
export function largeBundle(copies: number) {
  const roles = Array.from({ length: copies }, (_, k) =>
    seedBundle.roles.map((role) => ({
      ...role,
      slug: `${role.slug}-copy-${k}`,
      relatedRoles: [],
      questions: role.questions.map((q) => ({ ...q, id: randomUUID() })),
    })),
  ).flat();
  return { categories: seedBundle.categories, roles };
}
