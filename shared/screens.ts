/**
 * Wall screens as the admin console sees them: what a screen reports about itself over `/live`
 * (`live:screen`), and the live list of connected screens (`GET /api/v1/admin/screens`).
 */
import { Type, type Static } from 'typebox';
import { PrincipalKind, Role } from './auth.js';

/** Sent by a wall on every connect and whenever it switches dashboard. */
export const ScreenReportSchema = Type.Object(
  {
    dashboard: Type.String({ pattern: '^[a-z0-9-]{1,40}$' }),
    /** The client build the screen runs (package version and build time): who has not reloaded. */
    version: Type.String({ minLength: 1, maxLength: 40 }),
  },
  { additionalProperties: false },
);
export type ScreenReport = Static<typeof ScreenReportSchema>;

/** One socket connected to `/live`: a wall holding a token, or a person's browser. */
export const ScreenSchema = Type.Object({
  /** The socket id: several tabs of one token are several screens. */
  id: Type.String(),
  kind: Type.Enum(Object.values(PrincipalKind)),
  /** Token id, username, or `public`. */
  principal: Type.String(),
  /** The token's label or the person's name. */
  name: Type.String(),
  role: Type.Enum(Object.values(Role)),
  /** The scope watched (a node id: the center's for the district). */
  scope: Type.String(),
  dashboard: Type.Union([Type.String(), Type.Null()]),
  version: Type.Union([Type.String(), Type.Null()]),
  /** Remote address of the connection, as the server saw it. */
  address: Type.String(),
  connectedAt: Type.Integer(),
  /** Milliseconds since the last frame (snapshot or tick) was sent to it; null before the first. */
  lastFrameAgeMs: Type.Union([Type.Integer(), Type.Null()]),
});
export type Screen = Static<typeof ScreenSchema>;

export const ScreenListSchema = Type.Object({ screens: Type.Array(ScreenSchema) });
export type ScreenList = Static<typeof ScreenListSchema>;
