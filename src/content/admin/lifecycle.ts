/** The status actions content tools take, what each sets, and how the change log names it. */
export const STATUS_OF = { publish: 'published', unpublish: 'draft', archive: 'archived' } as const;
export const ACTION_OF = { publish: 'published', unpublish: 'unpublished', archive: 'archived' } as const;
export type StatusAction = keyof typeof STATUS_OF;
