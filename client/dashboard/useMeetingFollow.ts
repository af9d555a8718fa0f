/**
 * A wall of a driven screen group follows the meeting tablet (stores/meeting.ts): the dashboard it
 * picks (over the wall's own, whose playlist holds still meanwhile), the scope it drills to, and its
 * 回放. Released, or timed out on the server, the wall goes back to its own dashboard and the scope
 * it had, and its playlist runs on from where it stood.
 */
import { watch } from 'vue';
import type { MeetingView } from '../../shared/meeting';
import type { ReplayState } from '../../shared/replay';
import { useDashboardStore } from '../stores/dashboard';
import { useMeetingStore } from '../stores/meeting';
import { useReplayStore } from '../stores/replay';
import { useScopeStore } from '../stores/scope';

export function useMeetingFollow(): void {
  const meeting = useMeetingStore();
  const boards = useDashboardStore();
  const scope = useScopeStore();
  const replay = useReplayStore();
  /** The scope the wall had when the meeting took it, given back on release. */
  let ownScope: string | null = null;
  /** The replay state last followed: the tablet sends the whole view with every command. */
  let followed: string | null = null;

  const follow = (state: ReplayState | null) => {
    const key = state ? JSON.stringify(state) : null;
    if (key === followed) return;
    followed = key;
    replay.follow(state);
  };

  watch(
    () => meeting.view,
    (view: MeetingView | null, before: MeetingView | null | undefined) => {
      if (view) {
        if (!before) ownScope = scope.selected;
        boards.drive(view.dashboard);
        if (view.scope) scope.drill(view.scope);
        else scope.reset();
        follow(view.replay ?? null);
      } else if (before) {
        boards.drive(null);
        if (ownScope) scope.drill(ownScope);
        else scope.reset();
        follow(null);
      }
    },
    { immediate: true },
  );

  // When a command's view is on screen: stamped on <html> after the frame that drew it was painted
  // (the DOM updated, then a frame, then a task after its paint), so `npm run bench -- meeting` can
  // time a tablet's command to a wall's redraw, not only to its socket (data-meeting-drawn-at, epoch ms).
  watch(
    () => meeting.view,
    (view) => {
      const drawn = JSON.stringify(view?.windows ?? null);
      requestAnimationFrame(() =>
        setTimeout(() => {
          const root = document.documentElement;
          root.dataset['meetingDrawn'] = drawn;
          root.dataset['meetingDrawnAt'] = String(Math.round(performance.timeOrigin + performance.now()));
        }, 0),
      );
    },
    { flush: 'post' },
  );
}
