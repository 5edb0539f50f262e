import type { FastifyPluginAsync } from 'fastify';
import { bulkRoutes } from './bulk.js';
import { adminCategoryRoutes } from './categories.js';
import { keyRoutes } from './keys.js';
import { keyUsageRoutes } from './key-usage.js';
import { adminQuestionRoutes } from './questions.js';
import { revisionRoutes } from './revisions.js';
import { releaseRoutes } from './releases.js';
import { adminRoleRoutes } from './roles.js';
import { transferRoutes } from './transfer.js';
import { webhookRoutes } from './webhooks.js';

/** The admin API under /v1/admin: every route needs a key with its scope; nothing here is cached. */
export const adminRoutes: FastifyPluginAsync = async (app) => {
  await app.register(keyRoutes);
  await app.register(keyUsageRoutes);
  await app.register(adminCategoryRoutes);
  await app.register(adminRoleRoutes);
  await app.register(adminQuestionRoutes);
  await app.register(revisionRoutes);
  await app.register(bulkRoutes);
  await app.register(releaseRoutes);
  await app.register(transferRoutes);
  await app.register(webhookRoutes);
};
