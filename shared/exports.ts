/**
 * `GET /api/v1/exports/<query>.<csv|xlsx>`: the route's path and query-string schemas. Its names,
 * URL and file names are shared/export-file.ts (free of schemas, for the wall's bundle).
 */
import { Type, type Static } from 'typebox';
import { EXPORT_FORMATS, EXPORT_LANGS, EXPORT_QUERIES } from './export-file.js';

const escape = (s: string): string => s.replace(/\./g, '\\.');

/** One path segment, `brands.ranking.xlsx`: a query's name holds dots itself, so it is one parameter. */
export const ExportFileParams = Type.Object({
  file: Type.String({
    pattern: `^(${EXPORT_QUERIES.map(escape).join('|')})\\.(${EXPORT_FORMATS.join('|')})$`,
  }),
});
export type ExportFileParams = Static<typeof ExportFileParams>;

/**
 * The reserved keys; every other key is one of the named query's parameters, as text (the route
 * converts it by the query's own schema and validates it there, as a subscription is validated).
 */
export const ExportQuerystring = Type.Object(
  {
    scope: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    lang: Type.Optional(Type.Enum(EXPORT_LANGS)),
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
  },
  { additionalProperties: Type.String({ maxLength: 40 }) },
);
export type ExportQuerystring = Static<typeof ExportQuerystring>;
