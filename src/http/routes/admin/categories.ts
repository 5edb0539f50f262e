import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { categoryInput, categoryUpdateInput } from '../../../content/admin/categories.js';
import { AdminCategory } from '../../../content/admin/schemas.js';
import { slug } from '../../../content/vocabulary.js';
import { flagOff } from '../../params.js';
import { problemResponses } from '../../problem.js';

const tags = ['admin: content'];
const params = z.strictObject({ slug });
const cascade = z.strictObject({ cascade: flagOff("true: delete the category's roles and their questions with it") });
const list = z.object({ data: z.array(AdminCategory) });

export const adminCategoryRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/categories',
    {
      config: { operation: 'listAdminCategories' },
      schema: {
        summary: 'List categories with all their roles counted',
        tags,
        response: { 200: list, ...problemResponses(401, 403) },
      },
    },
    async (request) => ({ data: await app.content.admin.listCategories(request.principal) }),
  );

  app.post(
    '/categories',
    {
      config: { operation: 'createCategory' },
      schema: {
        summary: 'Create a category (listed last)',
        tags,
        body: categoryInput,
        response: { 201: list, ...problemResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) =>
      reply.code(201).send({ data: await app.content.admin.createCategory(request.principal, request.body) }),
  );

  app.patch(
    '/categories/:slug',
    {
      config: { operation: 'updateCategory' },
      schema: {
        summary: 'Rename, re-slug or move a category',
        tags,
        params,
        body: categoryUpdateInput,
        response: { 200: list, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => ({
      data: await app.content.admin.updateCategory(request.principal, request.params.slug, request.body),
    }),
  );

  app.delete(
    '/categories/:slug',
    {
      config: { operation: 'deleteCategory' },
      schema: {
        summary: 'Delete a category; 409 while it has roles unless cascade=true',
        tags,
        params,
        querystring: cascade,
        response: { 204: z.undefined(), ...problemResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await app.content.admin.deleteCategory(request.principal, request.params.slug, request.query.cascade === 'true');
      return reply.code(204).send();
    },
  );
};
