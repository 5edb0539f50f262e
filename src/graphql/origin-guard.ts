import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { DocumentNode, OperationDefinitionNode } from 'graphql';
import { Kind } from './graphql-module.js';
import { AppError } from '../errors.js';
import { isCrossOrigin } from '../origins.js';

function operationOf(document: DocumentNode, name: string | undefined): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  return name ? operations.find((o) => o.name?.value === name) : operations[0];
}

/**
 * Queries are public reads that any origin may make; mutations are admin writes, and like the
 * admin API they never run for a page of another origin. Checked before execution, so nothing is
 * written, and the answer carries no Access-Control-Allow-Origin, so the page cannot read it.
 */
export const graphqlOriginGuard = fp(async (app: FastifyInstance) => {
  app.graphql.addHook('preExecution', async (_schema, document, context) => {
    const request = context.reply.request;
    if (!isCrossOrigin(request)) return;
    const body = request.body as { operationName?: string } | undefined;
    const query = request.query as { operationName?: string } | undefined;
    const operation = operationOf(document, body?.operationName ?? query?.operationName);
    if (operation?.operation !== 'mutation') return;
    context.reply.removeHeader('access-control-allow-origin');
    throw new AppError('FORBIDDEN', 'GraphQL mutations do not run for cross-origin browser requests');
  });
});
