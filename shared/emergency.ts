/**
 * Emergency mode (平时服务、战时应急): while active every wall shows the `emergency` dashboard under
 * a broadcast banner; switching it off returns each wall to its own layout.
 */
import { Type, type Static } from 'typebox';

export const EMERGENCY_DASHBOARD = 'emergency';

export const EmergencyBodySchema = Type.Object(
  {
    active: Type.Boolean(),
    /** The broadcast banner's text (required to switch on); switching off: the reason, for the audit trail only. */
    message: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type EmergencyBody = Static<typeof EmergencyBodySchema>;

export const EmergencyStateSchema = Type.Object({
  active: Type.Boolean(),
  message: Type.String(),
  /** Epoch ms of the last switch; null before any. */
  since: Type.Union([Type.Integer(), Type.Null()]),
  /** Who switched it (username or token id); null before any switch. */
  by: Type.Union([Type.String(), Type.Null()]),
});
export type EmergencyState = Static<typeof EmergencyStateSchema>;

export const EMERGENCY_OFF: EmergencyState = { active: false, message: '', since: null, by: null };
