import { TideError } from './errors.js';

/** What validate needs of a schema (a zod schema fits; core imports no library). */
export interface Validator<T> {
  safeParse(
    input: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
}

/**
 * Validates input against a schema, or throws TideError('CONFIG') naming every bad field, as
 * `sasrec config: heads: must divide dim; dim: Too small: ...`, with the first field in `location`.
 *
 * @example
 * const config = validate(SasRecConfig, { dim: 50 }, 'sasrec config');
 */
export function validate<T>(schema: Validator<T>, input: unknown, what: string): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fieldOf = (path: PropertyKey[]) => path.map(String).join('.');
  const problems = result.error.issues.map((issue) =>
    fieldOf(issue.path) ? `${fieldOf(issue.path)}: ${issue.message}` : issue.message,
  );
  const first = result.error.issues[0] ? fieldOf(result.error.issues[0].path) : '';
  throw new TideError(
    'CONFIG',
    `${what}: ${problems.join('; ')}`,
    { file: what, field: first || undefined },
    { cause: result.error },
  );
}
