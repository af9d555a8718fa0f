/** Activities as the console and the phone list them (shared/activity-api.ts). */
import type { ActivityView } from '../../shared/activity-api.js';
import type { ActivityRecord } from '../store/activity-repository.js';

export function activityView(
  a: ActivityRecord,
  counts: { signedUp: number; checkedIn: number; checkedOut: number },
): ActivityView {
  return {
    id: a.id,
    title: a.title,
    category: a.category,
    nodeId: a.nodeId,
    instituteId: a.instituteId,
    startsAt: a.startsAt,
    endsAt: a.endsAt,
    capacity: a.capacity,
    brandId: a.brandId,
    status: a.status,
    ...counts,
  };
}
