import type { IResolvers, MercuriusContext } from 'mercurius';
import { authorize, operationOfField } from '../access/operations.js';
import { AppError } from '../errors.js';
import type { GraphQLSchema } from 'graphql';
import './context.js';

type Resolver = (root: unknown, args: unknown, ctx: MercuriusContext, info: unknown) => unknown;

/**
 * Every root field checks the caller against its operation in src/access/operations.ts before its
 * resolver runs, as REST routes do before reading a body: a caller without the scope gets
 * UNAUTHENTICATED or FORBIDDEN whatever its arguments. A field without an entry refuses everyone
 * (and stops start-up: see rootFields).
 */
export function guardRootFields(resolvers: IResolvers): IResolvers {
  const guarded: IResolvers = { ...resolvers };
  for (const type of ['Query', 'Mutation'] as const) {
    const fields = resolvers[type] as Record<string, Resolver> | undefined;
    if (!fields) continue;
    guarded[type] = Object.fromEntries(
      Object.entries(fields).map(([name, resolve]) => {
        const operation = operationOfField(`${type}.${name}`);
        const run: Resolver = (root, args, ctx, info) => {
          if (!operation) throw new AppError('FORBIDDEN', `${type}.${name} has no entry in the operation table`);
          authorize(ctx.read.principal, operation);
          return resolve(root, args, ctx, info);
        };
        return [name, run];
      }),
    ) as never;
  }
  return guarded;
}

/** The root fields a schema serves, as `Query.role` and `Mutation.createRole`. */
export function rootFields(schema: GraphQLSchema): string[] {
  return [schema.getQueryType(), schema.getMutationType()].flatMap((type) =>
    type ? Object.keys(type.getFields()).map((name) => `${type.name}.${name}`) : [],
  );
}
