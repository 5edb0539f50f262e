import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../../errors.js';
import { MAX_JSON_DEPTH, tooDeep } from '../../json-depth.js';

/**
 * JSON bodies, parsed as fastify does (prototype poisoning refused), after a check that they nest
 * at most MAX_JSON_DEPTH levels: deeper nesting is a 400 naming the field before any code walks it.
 */
export const jsonBodyPlugin = fp(async (app: FastifyInstance) => {
  const parse = app.getDefaultJsonParser(
    app.initialConfig.onProtoPoisoning ?? 'error',
    app.initialConfig.onConstructorPoisoning ?? 'error',
  );
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body: string, done) => {
    const deep = tooDeep(body);
    if (!deep) return parse(request, body, done);
    const path = deep.path || 'body';
    const message = `is nested more than ${MAX_JSON_DEPTH} levels deep (objects and arrays)`;
    done(
      new AppError('BAD_REQUEST', `${path}: ${message}`, { errors: [{ path, location: 'body', message }] }),
      undefined,
    );
  });
});
