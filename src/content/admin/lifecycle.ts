import { hasScope, type Principal } from '../../access/principal.js';
import { AppError } from '../../errors.js';
import type { Status } from '../vocabulary.js';

/** The status actions content tools take, what each sets, and how the change log names it. */
export const STATUS_OF = { publish: 'published', unpublish: 'draft', archive: 'archived' } as const;
export const ACTION_OF = { publish: 'published', unpublish: 'unpublished', archive: 'archived' } as const;
export type StatusAction = keyof typeof STATUS_OF;

/**
 * Changing what readers can see (publishing, unpublishing, archiving) needs content:publish,
 * whichever command does it: a status action, a restored revision, an import.
 */
export function checkStatusChange(principal: Principal, from: Status | undefined, to: Status): void {
  if ((from ?? 'draft') === to || hasScope(principal, 'content:publish')) return;
  throw new AppError(
    'FORBIDDEN',
    `This would change the status from ${from ?? 'draft'} to ${to}, which needs the scope content:publish`,
  );
}
