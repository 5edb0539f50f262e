/*
 * GraphQL enum values must be names (NON_TECHNICAL); the content uses lowercase words
 * (non-technical). These convert at the edge of the GraphQL layer.
 */
export const toEnum = (value: string): string => value.toUpperCase().replaceAll('-', '_');
export const fromEnum = <T extends string>(value: string | null | undefined): T | undefined =>
  value == null ? undefined : (value.toLowerCase().replaceAll('_', '-') as T);
