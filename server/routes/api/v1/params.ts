/** What the /api/v1 routes share: the id path parameter, and rate limits counted per caller. */
import { Type } from 'typebox';

export const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' });
export const IdParams = Type.Object({ id: Id });

/** Per session or token, not per address: a dispatch room shares one address. */
export const perCaller = (req: {
  headers: { cookie?: string | undefined; authorization?: string | undefined };
  ip: string;
}): string => req.headers.authorization ?? req.headers.cookie ?? req.ip;
