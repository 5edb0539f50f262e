import type { Change } from './change-log.js';

/*
 * Surrogate keys name what a response shows, so that a change can purge exactly the responses
 * that showed it: in our own response cache, and in a CDN through the Surrogate-Key and Cache-Tag
 * headers (and the keys a webhook lists). A response is tagged with every item it displays; a
 * list is tagged with its collection, because a change can add an item to a list that did not
 * show it before.
 */

export const COLLECTION = {
  categories: 'categories',
  roles: 'roles',
  questions: 'questions',
  search: 'search',
  /** Any GraphQL answer: a query can show anything, so every change purges them all. */
  graphql: 'graphql',
} as const;

export const roleKey = (slug: string) => `role:${slug}`;
export const questionKey = (id: string) => `question:${id}`;
export const categoryKey = (slug: string) => `category:${slug}`;

type ChangeFacts = Pick<Change, 'entityType' | 'entityKey' | 'roleKey' | 'previousKey'>;

/** The keys a change makes stale. */
export function purgeKeysOf(change: ChangeFacts): string[] {
  const keys = new Set<string>([COLLECTION.search, COLLECTION.graphql]);
  switch (change.entityType) {
    case 'category':
      // Roles show their category's name; the categories list shows counts.
      keys.add(categoryKey(change.entityKey)).add(COLLECTION.categories).add(COLLECTION.roles);
      if (change.previousKey) keys.add(categoryKey(change.previousKey));
      break;
    case 'role':
      // Lists of questions show the role's title; the categories list counts roles.
      keys.add(roleKey(change.entityKey)).add(COLLECTION.roles).add(COLLECTION.questions).add(COLLECTION.categories);
      if (change.previousKey) keys.add(roleKey(change.previousKey));
      break;
    case 'question':
      // A role page counts and may include its questions; role lists show question counts.
      keys.add(questionKey(change.entityKey)).add(COLLECTION.questions).add(COLLECTION.roles);
      if (change.roleKey) keys.add(roleKey(change.roleKey));
      break;
  }
  return [...keys];
}
