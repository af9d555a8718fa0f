/**
 * Turns a dispatcher's gestures (a drop, a key, a button) into commands on the store, with the
 * client's knowledge of where 所, 站, volunteers and teams belong for the optimistic preview.
 */
import type { OrderView } from '../../shared/dispatch';
import { computed } from 'vue';
import { canActOn } from '../../shared/auth';
import type { LocalCode as LocalCodeName } from '../../shared/codes';
import type { OrderState } from '../../shared/events';
import { CENTER_COMMANDS, type OrderCommand, type Places, type Target } from '../../shared/orders';
import { useDispatchStore } from '../stores/dispatch';
import { useNetworkStore } from '../stores/network';
import { commandForTarget, holds, lenientPlaces, quickDispatch, type PlainAction } from './commands';
import { LocalCode } from './useDispatchCommands';

/** States in which the order waits for the center, not a town. */
const CENTER_STATES: readonly OrderState[] = ['requested', 'accepted_by_center'];

export function useDispatchActions() {
  const store = useDispatchStore();
  const net = useNetworkStore();

  const towns = (kind: Target['kind'], id: string): string | undefined => {
    switch (kind) {
      case 'institute':
        return net.nodesById.get(id)?.level === 'institute' ? id : undefined;
      case 'station':
        return net.nodesById.get(id)?.instituteId ?? undefined;
      case 'volunteer':
        return store.volunteers.get(id)?.instituteId;
      case 'team':
        // Team ids carry their path (`I03:S045:T07`).
        return id.split(':')[0];
    }
  };
  const places: Places = lenientPlaces(towns);

  /** `why` names the local refusal when there is no command (see errors in i18n). */
  function run(order: OrderView, command: OrderCommand | null, why: LocalCodeName = LocalCode.noTarget): boolean {
    if (command === null) {
      store.localRefusal(order.id, why, 'no such step from this state');
      return false;
    }
    return store.send(order, command, lenientPlaces(towns, order.instituteId));
  }

  function dropOn(orderId: string, target: Target): boolean {
    const order = store.board.get(orderId);
    if (!order) return false;
    return run(order, commandForTarget(order, target), holds(order, target) ? LocalCode.sameTarget : undefined);
  }

  /** May this dispatcher give the center's own commands (制单, 驳回, 派至所)? The district's only. */
  const center = computed(() => store.me !== null && canActOn(store.me, ''));
  const why = (order: OrderView): LocalCodeName | undefined =>
    order.assignee
      ? LocalCode.staffed
      : !center.value && CENTER_STATES.includes(order.state)
        ? LocalCode.centerOnly
        : undefined;

  const quick = (order: OrderView, top: Target | null) =>
    run(order, quickDispatch(order, top, center.value), why(order));
  const plain = (order: OrderView, type: PlainAction) =>
    run(order, center.value || !CENTER_COMMANDS.includes(type) ? { type } : null, LocalCode.centerOnly);

  return { places, center, dropOn, quick, plain };
}
