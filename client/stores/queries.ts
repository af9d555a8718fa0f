/**
 * Panel query results from the `/live` socket. Panels that ask for the same (query, scope,
 * parameters) share one server subscription; every subscription is renewed on each (re)connect,
 * since the server forgets a socket's subscriptions when it goes. A result keeps its `asOf` — the
 * server time it was last confirmed — which each panel shows as its freshness.
 */
import { defineStore } from 'pinia';
import { ref, shallowReactive } from 'vue';
import { queryKey } from '../../shared/query-key';
import type { QueryName, QueryParams, QueryResults, QueryUpdate } from '../../shared/queries/index';
import { liveSocket, type LiveSocket } from '../socket';

export interface PanelRequest<Q extends QueryName = QueryName> {
  query: Q;
  params: QueryParams<Q>;
  /** A town or station id; absent = the screen's own scope. */
  scope?: string;
}

export interface PanelResult<Q extends QueryName = QueryName> {
  data: QueryResults[Q] | null;
  /** Server time the data was last confirmed; null before the first answer. */
  asOf: number | null;
  /** The server's refusal code, if it refused the subscription. */
  error: string | null;
}

interface Subscription {
  request: PanelRequest;
  holders: number;
  /** The server's key, once it acknowledged. */
  key: string | null;
}

/** The client's identity of a request: the server's key for the same subscription (shared/query-key.ts). */
export const requestId = (request: PanelRequest): string =>
  queryKey(request.query, request.scope ?? '', request.params);

export const useQueriesStore = defineStore('queries', () => {
  const results = shallowReactive(new Map<string, PanelResult>());
  const subscriptions = new Map<string, Subscription>();
  const byKey = new Map<string, string>();
  const connected = ref(false);
  /** 回放 (stores/replay.ts): results come from replay reads; nothing is subscribed or taken from live. */
  const replaying = ref(false);
  let socket: LiveSocket | null = null;

  function store(id: string, patch: Partial<PanelResult>): void {
    const current = results.get(id) ?? { data: null, asOf: null, error: null };
    results.set(id, { ...current, ...patch });
  }

  function send(id: string, sub: Subscription): void {
    if (replaying.value) return;
    const request = {
      query: sub.request.query,
      params: sub.request.params,
      ...(sub.request.scope ? { scope: sub.request.scope } : {}),
    };
    socket?.emit('live:subscribe', request, (result) => {
      if (subscriptions.get(id) !== sub || replaying.value) return;
      if (!result.ok) return store(id, { error: result.error.code });
      sub.key = result.data.key;
      byKey.set(result.data.key, id);
      store(id, { data: result.data.data ?? null, asOf: result.data.asOf, error: null });
    });
  }

  function receive(update: QueryUpdate): void {
    if (replaying.value) return;
    const id = byKey.get(update.key);
    if (!id) return;
    store(id, update.data === undefined ? { asOf: update.asOf } : { data: update.data, asOf: update.asOf });
  }

  /** Starts (or joins) a subscription; returns the function that leaves it. */
  function hold(request: PanelRequest): () => void {
    const id = requestId(request);
    let sub = subscriptions.get(id);
    if (!sub) {
      sub = { request, holders: 0, key: null };
      subscriptions.set(id, sub);
      if (connected.value) send(id, sub);
    }
    sub.holders += 1;
    const held = sub;
    return () => {
      held.holders -= 1;
      if (held.holders > 0 || subscriptions.get(id) !== held) return;
      subscriptions.delete(id);
      results.delete(id);
      if (held.key) {
        byKey.delete(held.key);
        socket?.emit('live:unsubscribe', held.key);
      }
    };
  }

  /** Every panel request held, by its id: what a replay read asks for. */
  function held(): (PanelRequest & { id: string })[] {
    return [...subscriptions].map(([id, sub]) => ({ id, ...sub.request }));
  }

  /** Enters or leaves replay; leaving is followed by a reconnect, which subscribes everything afresh. */
  function setReplaying(on: boolean): void {
    replaying.value = on;
    byKey.clear();
    for (const sub of subscriptions.values()) sub.key = null;
    // Entering, the live answers go: each panel waits for its first replayed one.
    if (on) for (const id of results.keys()) results.set(id, { data: null, asOf: null, error: null });
  }

  /** A panel's result at the replayed moment. */
  function showReplay(id: string, patch: { data?: unknown; error?: string }, at: number): void {
    if (!subscriptions.has(id)) return;
    if (patch.error) store(id, { error: patch.error, asOf: at });
    else store(id, { data: (patch.data ?? null) as PanelResult['data'], asOf: at, error: null });
  }

  function result<Q extends QueryName>(request: PanelRequest<Q>): PanelResult<Q> | undefined {
    return results.get(requestId(request)) as PanelResult<Q> | undefined;
  }

  /** Binds to the socket the live store connects; returns the unbinding function. */
  function bind(target: LiveSocket = liveSocket): () => void {
    socket = target;
    const onConnect = () => {
      connected.value = true;
      byKey.clear();
      for (const [id, sub] of subscriptions) send(id, sub);
    };
    const onDisconnect = () => (connected.value = false);
    target.on('connect', onConnect);
    target.on('disconnect', onDisconnect);
    target.on('live:query', receive);
    if (target.connected) onConnect();
    return () => {
      target.off('connect', onConnect);
      target.off('disconnect', onDisconnect);
      target.off('live:query', receive);
      socket = null;
    };
  }

  return { results, hold, result, bind, receive, held, setReplaying, showReplay };
});
