/** The unit each KPI figure is counted in (a key of the wall's `units` messages). */
import type { KpiKey } from '../../../shared/kpi';
import type { Messages } from '../../i18n/zh-CN';

export const KPI_UNITS: Record<KpiKey, keyof Messages['units']> = {
  registeredVolunteers: 'people',
  volunteersActive: 'people',
  activitiesToday: 'activities',
  checkinsToday: 'checkins',
  appealsReceived: 'appeals',
  appealsClosed: 'appeals',
  appealClosureRate: 'percent',
  mediaReadsToday: 'reads',
};
