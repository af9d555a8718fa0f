/**
 * Turns a dispatcher's gestures (a drop, a key, a button) into commands on the store, with the
 * client's knowledge of where 所, 站, volunteers and teams belong for the optimistic preview.
 */
import type { OrderView } from '../../shared/dispatch';
import type { OrderCommand, Places, Target } from '../../shared/orders';
import { useDispatchStore } from '../stores/dispatch';
import { useNetworkStore } from '../stores/network';
import { commandForTarget, lenientPlaces, quickDispatch } from './commands';

export function useDispatchActions() {
  const store = useDispatchStore();
  const net = useNetworkStore();

  const places: Places = lenientPlaces((kind, id) => {
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
  });

  function run(order: OrderView, command: OrderCommand | null): boolean {
    if (command === null) {
      store.localRefusal(order.id, 'LOCAL_NO_TARGET', 'no such step from this state');
      return false;
    }
    return store.send(order, command, places);
  }

  function dropOn(orderId: string, target: Target): boolean {
    const order = store.board.get(orderId);
    return order ? run(order, commandForTarget(order, target)) : false;
  }

  const quick = (order: OrderView, top: Target | null) => run(order, quickDispatch(order, top));
  const plain = (order: OrderView, type: 'accept' | 'reject' | 'start' | 'complete' | 'escalate' | 'cancel') =>
    run(order, { type });

  return { places, dropOn, quick, plain };
}
