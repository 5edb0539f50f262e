import { readSeed } from '../../src/content/seed.js';

/** The seed as files say it, to compare what the API answers against. */
export const seedBundle = await readSeed();
export const published = seedBundle.roles.filter((r) => r.status === 'published');
export const roleBySlug = (slug: string) => {
  const role = seedBundle.roles.find((r) => r.slug === slug);
  if (!role) throw new Error(`no seed role ${slug}`);
  return role;
};
