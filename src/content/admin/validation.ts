import { createHash } from 'node:crypto';
import { z } from 'zod';
import { AppError, fieldErrors } from '../../errors.js';

/** Checks a value that is about to be stored; a 400 lists every bad field with its path. */
export function checked<T extends z.ZodType>(
  schema: T,
  value: unknown,
  detail = 'The content is not valid',
): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors = fieldErrors(result.error.issues, { location: 'body' });
  throw new AppError('VALIDATION_FAILED', `${detail}: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, {
    errors,
  });
}

/** Optimistic concurrency: a write that names a version must find that version current. */
function expectVersion(what: string, current: number, expected: number | undefined): void {
  if (expected !== undefined && expected !== current) {
    throw new AppError(
      'PRECONDITION_FAILED',
      `${what} is at version ${current}, not ${expected}: reload it and apply your change again`,
    );
  }
}

/**
 * What a write expects to find: the version the caller read (GraphQL's `version`, a body's
 * `version`, a bare `If-Match: "3"`), or the admin ETag it was given (If-Match).
 */
export type Expected = number | { etag: string } | { anyOf: (number | { etag: string })[] };

/**
 * The ETag of an admin representation: its version, and a digest of everything it shows. The
 * version alone would not change when, say, a role's questions are reordered or edited, though
 * the role as content tools read it (its question list) did.
 */
export function adminEtag(representation: { version: number }): string {
  const digest = createHash('sha256').update(JSON.stringify(representation)).digest('hex').slice(0, 16);
  return `${representation.version}-${digest}`;
}

/** A version is compared as such; an ETag against the representation as it is now. */
export async function expectCurrent(
  what: string,
  version: number,
  expected: Expected | undefined,
  representation: () => Promise<{ version: number }>,
): Promise<void> {
  if (expected === undefined) return;
  if (typeof expected === 'number') return expectVersion(what, version, expected);
  if ('anyOf' in expected) {
    let now: string | undefined;
    for (const one of expected.anyOf) {
      if (typeof one === 'number' ? one === version : one.etag === (now ??= adminEtag(await representation()))) return;
    }
    throw new AppError(
      'PRECONDITION_FAILED',
      `${what} has changed since you read it (version ${version}): reload it and apply your change again`,
    );
  }
  const now = adminEtag(await representation());
  if (now !== expected.etag) {
    throw new AppError(
      'PRECONDITION_FAILED',
      `${what} has changed since you read it (it is now "${now}", not "${expected.etag}"): reload it and apply your change again`,
    );
  }
}

/**
 * The fields a partial update actually sent. Parsing fills in schema defaults (an empty list,
 * a null round), which must not overwrite stored values the caller never mentioned.
 */
export function sentFields<T extends object>(raw: unknown, parsed: T): Partial<T> {
  const sent = new Set(raw && typeof raw === 'object' ? Object.keys(raw) : []);
  return Object.fromEntries(Object.entries(parsed).filter(([k, v]) => sent.has(k) && v !== undefined)) as Partial<T>;
}

/**
 * A partial-update schema from an object schema: every field optional and without its default,
 * so a field the caller did not send stays absent instead of turning into an empty list. A field
 * with a default may be sent as null, which clears it back to the default (nullsCleared).
 */
export function patchOf<Shape extends z.ZodRawShape>(schema: z.ZodObject<Shape>) {
  const shape = Object.fromEntries(
    Object.entries(schema.shape).map(([key, field]) => [
      key,
      z.optional((field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType).nullable() : field) as z.ZodType),
    ]),
  ) as unknown as {
    [K in keyof Shape]: z.ZodOptional<Shape[K] extends z.ZodDefault<infer Inner> ? z.ZodNullable<Inner> : Shape[K]>;
  };
  return z.strictObject(shape);
}

/**
 * What null means in a write, the same on every surface: it clears a field. A field that may be
 * null becomes null (a question's round), one with a default gets its default back (an empty
 * list); for any other field null is refused by the schema, naming it. `schema` is the create
 * schema, which knows the defaults an update schema leaves out.
 */
export function nullsCleared(schema: z.ZodObject, input: unknown): unknown {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return input;
  return Object.fromEntries(
    Object.entries(input).map(([key, value]) => {
      const field = schema.shape[key];
      return [key, value === null && field instanceof z.ZodDefault ? field.parse(undefined) : value];
    }),
  );
}

/** A create schema whose fields with a default also take null (which means the default): what routes validate. */
export function acceptingNull<Shape extends z.ZodRawShape>(schema: z.ZodObject<Shape>): z.ZodObject<Shape> {
  return z.strictObject(
    Object.fromEntries(
      Object.entries(schema.shape).map(([key, field]) => [
        key,
        field instanceof z.ZodDefault
          ? (field.unwrap() as z.ZodType).nullable().default(field.parse(undefined) as never)
          : field,
      ]),
    ),
  ) as unknown as z.ZodObject<Shape>;
}
