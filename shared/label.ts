/** Text shown on the wall: an i18n key of the client's messages, or literal text per locale. */
import { Type, type Static } from 'typebox';

export const LabelSchema = Type.Union([
  Type.String({ minLength: 1, maxLength: 80 }),
  Type.Object(
    { 'zh-CN': Type.String({ maxLength: 80 }), en: Type.String({ maxLength: 80 }) },
    { additionalProperties: false },
  ),
]);
export type Label = Static<typeof LabelSchema>;
