/**
 * Admin forms are checked in the browser with the same TypeBox schemas the server validates the
 * body with, so a person sees what is wrong beside the field before anything is sent; the server
 * still checks (and its `{ code, message }` is shown when it refuses). `Value.Errors` interprets the
 * schema: no generated code, which the page's Content-Security-Policy would refuse.
 */
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';

/** What is wrong with one field, in terms the messages translate (`admin.form.*`). */
export type FieldProblem =
  | { kind: 'required' }
  | { kind: 'tooShort' | 'tooLong'; n: number }
  | { kind: 'choose' }
  | { kind: 'pattern'; field: string }
  | { kind: 'invalid' };

function problemOf(field: string, keyword: string, params: Record<string, unknown>, value: unknown): FieldProblem {
  const limit = typeof params['limit'] === 'number' ? params['limit'] : 0;
  switch (keyword) {
    case 'minLength':
      return value === '' ? { kind: 'required' } : { kind: 'tooShort', n: limit };
    case 'maxLength':
      return { kind: 'tooLong', n: limit };
    case 'enum':
    case 'const':
    case 'anyOf':
      return { kind: 'choose' };
    case 'pattern':
      return { kind: 'pattern', field };
    case 'required':
      return { kind: 'required' };
    default:
      return { kind: 'invalid' };
  }
}

/** The first problem of each top-level field of `value` against `schema`; empty when it conforms. */
export function fieldProblems(schema: TSchema, value: Record<string, unknown>): Record<string, FieldProblem> {
  const out: Record<string, FieldProblem> = {};
  for (const error of Value.Errors(schema, value)) {
    const params = error.params as Record<string, unknown>;
    const missing = params['requiredProperties'];
    const field =
      error.instancePath.split('/')[1] ?? (Array.isArray(missing) && typeof missing[0] === 'string' ? missing[0] : '');
    if (field in out) continue;
    out[field] = problemOf(field, error.keyword, params, value[field]);
  }
  return out;
}
