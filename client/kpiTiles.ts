/** Which KPI goes on which tile, with its unit key and accent: the wall's layout as data. */
import type { KpiKey } from '../shared/kpi';
import type { Messages } from './i18n/zh-CN';

export interface TileSpec {
  key: KpiKey;
  unit: keyof Messages['units'];
  accent: 'cyan' | 'gold' | 'green';
}

export const KPI_TILES = {
  volunteers: [
    { key: 'registeredVolunteers', unit: 'people', accent: 'cyan' },
    { key: 'volunteersActive', unit: 'people', accent: 'green' },
    { key: 'activitiesToday', unit: 'activities', accent: 'gold' },
    { key: 'checkinsToday', unit: 'checkins', accent: 'cyan' },
  ],
} as const satisfies Record<string, readonly TileSpec[]>;
