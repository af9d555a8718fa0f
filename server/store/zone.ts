/**
 * The county's time zone as a bound parameter: the store's SQL writes every day and hour boundary
 * with `{tz:String}` and spreads ZONE into its parameters, so the zone is named once
 * (shared/time-zone.ts). The tables' DateTime columns carry the same zone from their migrations.
 */
import { DEFAULT_TIME_ZONE } from '../../shared/time-zone.js';

export const ZONE = { tz: DEFAULT_TIME_ZONE } as const;
