/**
 * The team board's data (shared/teams.ts): the 总队/支队 figures and a town's 小队, and the members
 * of the 小队 in view, read again every REFRESH_MS while the board is open. The server decides what
 * the caller may read; a town's dispatcher asks for nothing but its own town.
 */
import { onBeforeUnmount, ref, watch, type Ref } from 'vue';
import type { TeamBoard, TeamMembers } from '../../shared/teams';
import { getJson } from '../http';

export const REFRESH_MS = 15_000;

export function useTeamBoard(town: Ref<string>, team: Ref<string>) {
  const board = ref<TeamBoard | null>(null);
  const members = ref<TeamMembers | null>(null);
  const failed = ref(false);
  /** Answers that arrive after the choice changed are dropped. */
  let asked = 0;

  async function load(): Promise<void> {
    const ask = ++asked;
    const [t, m] = [town.value, team.value];
    try {
      const b = await getJson<TeamBoard>(`/api/v1/teams${t ? `?town=${t}` : ''}`);
      const ms = m ? await getJson<TeamMembers>(`/api/v1/teams/members?team=${encodeURIComponent(m)}`) : null;
      if (ask !== asked) return;
      board.value = b;
      members.value = ms;
      failed.value = false;
    } catch {
      if (ask === asked) failed.value = true;
    }
  }

  watch([town, team], () => void load(), { immediate: true });
  const timer = setInterval(() => void load(), REFRESH_MS);
  onBeforeUnmount(() => clearInterval(timer));
  return { board, members, failed };
}
