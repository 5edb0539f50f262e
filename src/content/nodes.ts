/**
 * Internal keys riding along on output objects, so a GraphQL loader can fetch an object's children
 * by id. A symbol key never reaches a client: JSON and the response schemas both leave it out.
 */
export const NODE = Symbol('node');

export interface NodeKeys {
  id: string;
  roleId?: string;
  roundId?: string | null;
}

export type WithNode<T> = T & { [NODE]: NodeKeys };

export function withNode<T extends object>(value: T, keys: NodeKeys): WithNode<T> {
  return Object.assign(value, { [NODE]: keys });
}

export function nodeOf(value: object): NodeKeys {
  const keys = (value as Partial<WithNode<object>>)[NODE];
  if (!keys) throw new Error('object has no node keys');
  return keys;
}
