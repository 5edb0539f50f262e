import { z } from 'zod';
import { AppError } from '../../errors.js';

/** Checks a value that is about to be stored; a 400 lists every bad field with its path. */
export function checked<T extends z.ZodType>(schema: T, value: unknown, detail = 'The content is not valid'): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors = result.error.issues.map((i) => ({ path: i.path.map(String).join('.') || 'body', location: 'body', message: i.message }));
  throw new AppError('VALIDATION_FAILED', `${detail}: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, { errors });
}

/** Optimistic concurrency: a write that names a version must find that version current. */
export function expectVersion(what: string, current: number, expected: number | undefined): void {
  if (expected !== undefined && expected !== current) {
    throw new AppError('PRECONDITION_FAILED', `${what} is at version ${current}, not ${expected}: reload it and apply your change again`);
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
 * so a field the caller did not send stays absent instead of turning into an empty list.
 */
export function patchOf<Shape extends z.ZodRawShape>(schema: z.ZodObject<Shape>) {
  const shape = Object.fromEntries(
    Object.entries(schema.shape).map(([key, field]) => [key, z.optional((field instanceof z.ZodDefault ? field.unwrap() : field) as z.ZodType)]),
  ) as unknown as { [K in keyof Shape]: z.ZodOptional<Shape[K] extends z.ZodDefault<infer Inner> ? Inner : Shape[K]> };
  return z.strictObject(shape);
}
