/** Activities as the console and the phone list them (shared/activity-api.ts). */
import type { Participation } from '../../shared/activities.js';
import type { ActivityView, MyActivity, MyStep } from '../../shared/activity-api.js';
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

/** An activity as the volunteer's phone lists it: with the place's name and their own step on it. */
export function myActivityView(
  a: ActivityRecord,
  counts: { signedUp: number; checkedIn: number; checkedOut: number },
  mine: Participation | undefined,
  place: { nodeName: string; atMyStation: boolean },
): MyActivity {
  const step: MyStep = !mine ? 'none' : mine.checkout ? 'checked_out' : mine.checkin ? 'checked_in' : 'signed';
  return { ...activityView(a, counts), ...place, mine: step, hours: mine?.checkout?.hours ?? 0 };
}
