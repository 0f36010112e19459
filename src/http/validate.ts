import type { z } from 'zod';
import { AppError } from '../lib/errors.ts';

/** Parses request input with a zod schema; failures become a 400 with a message per field. */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const fields = result.error.issues.map((issue) => ({ field: issue.path.join('.') || 'body', message: issue.message }));
  throw new AppError('validation_failed', fields.length === 1 ? fields[0]!.message : 'Some fields need attention.', fields);
}
