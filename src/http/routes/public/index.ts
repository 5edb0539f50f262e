import type { FastifyPluginAsync } from 'fastify';
import { categoryRoutes } from './categories.js';
import { questionRoutes } from './questions.js';
import { roleRoutes } from './roles.js';
import { searchRoutes } from './search.js';

/** The public Content API under /v1: published content, no key needed. */
export const publicRoutes: FastifyPluginAsync = async (app) => {
  await app.register(categoryRoutes);
  await app.register(roleRoutes);
  await app.register(questionRoutes);
  await app.register(searchRoutes);
};
