/**
 * 回放, the wall's second source beside live: a clock (shared/replay.ts) driven by the kiosk URL
 * (`?replay=2026-11-28&speed=60`) or a command from the meeting tablet, and once a second a read of
 * the county at the clock's time (`replay:read`) for the live store's figures and every held panel.
 * The panels do not know: they read the same stores. While replaying, the live and queries stores
 * apply nothing from live; going back reconnects the socket, so live starts from a fresh snapshot.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import {
  applyReplayCommand,
  clockAt,
  ended,
  followState,
  replayFromUrl,
  ReplayOp,
  type ReplayClock,
  type ReplayCommand,
  type ReplayState,
} from '../../shared/replay';
import { ok, type Result } from '../../shared/result';
import { liveSocket, type LiveSocket } from '../socket';
import { useLiveStore } from './live';
import { useQueriesStore } from './queries';

/** One read a second: at 120× a frame every two replayed minutes; the server refuses faster. */
const READ_EVERY_MS = 1000;
const READ_TIMEOUT_MS = 30_000;

export const useReplayStore = defineStore('replay', () => {
  const live = useLiveStore();
  const queries = useQueriesStore();
  const clock = shallowRef<ReplayClock | null>(null);
  /** The moment on screen (its last read), null before the first. */
  const shown = ref<number | null>(null);
  /** The code of the last refused read or command; null after a good one. */
  const error = ref<string | null>(null);
  const reads = ref(0);
  /** Wall time, ticked with the reads, so `at`, `paused` and `done` follow the clock. */
  const wallNow = ref(Date.now());
  const active = computed(() => clock.value !== null);
  /**
   * The moment the wall shows while replaying (the last read's, else the period's start), null on
   * live: every time-related label and axis reads it instead of the live clock.
   */
  const moment = computed(() => (clock.value ? (shown.value ?? clock.value.from) : null));
  const done = computed(() => clock.value !== null && ended(clock.value, wallNow.value));

  let socket: LiveSocket = liveSocket;
  let timer: ReturnType<typeof setInterval> | null = null;
  let reading = false;
  /** Moves on every start and stop: a read's answer for an earlier replay is dropped. */
  let generation = 0;

  function read(): void {
    wallNow.value = Date.now();
    const c = clock.value;
    if (!c || reading || !socket.connected) return;
    reading = true;
    const asked = generation;
    const at = clockAt(c, wallNow.value);
    const panels = queries
      .held()
      .map(({ id, query, params, scope }) => ({ id, query, params, ...(scope ? { scope } : {}) }));
    socket.timeout(READ_TIMEOUT_MS).emit('replay:read', { at, panels }, (err: Error | null, result) => {
      reading = false;
      // Stopped (or restarted) while the read was out: its answer belongs to no replay on screen.
      if (err || asked !== generation) return;
      if (!result.ok) {
        error.value = result.error.code;
        return;
      }
      error.value = null;
      reads.value += 1;
      shown.value = result.data.at;
      live.showReplay(result.data.snapshot);
      for (const p of result.data.panels) queries.showReplay(p.id, p, result.data.at);
    });
  }

  function enter(): void {
    generation += 1;
    // Both stores drop what live showed: until the first replayed answer the panels wait, rather
    // than show live figures under the replay badge.
    live.setReplaying(true);
    queries.setReplaying(true);
    timer = setInterval(read, READ_EVERY_MS);
  }

  function leave(): void {
    generation += 1;
    if (timer) clearInterval(timer);
    timer = null;
    shown.value = null;
    live.setReplaying(false);
    queries.setReplaying(false);
    // A new connection: the server's fresh snapshot and every panel subscribed again, as a new wall.
    if (socket.connected) {
      socket.disconnect();
      socket.connect();
    }
  }

  /** Applies a command (the kiosk URL's, the tablet's); answers the clock after it or the refusal. */
  function command(cmd: ReplayCommand): Result<ReplayClock | null> {
    const result = applyReplayCommand(clock.value, cmd, Date.now());
    if (!result.ok) {
      error.value = result.error.code;
      return result;
    }
    const was = clock.value;
    clock.value = result.data;
    error.value = null;
    if (!was && result.data) enter();
    else if (was && !result.data) leave();
    read();
    return result;
  }

  /**
   * Follows a replay state (the meeting tablet's, shared/replay.ts ReplayState), or live on null:
   * the wall plays on from the state's moment on its own clock.
   */
  function follow(state: ReplayState | null): Result<ReplayClock | null> {
    if (state === null) return clock.value ? command({ op: ReplayOp.stop }) : ok(null);
    const result = followState(state, Date.now());
    if (!result.ok) {
      error.value = result.error.code;
      return result;
    }
    const was = clock.value;
    clock.value = result.data;
    error.value = null;
    if (!was) enter();
    read();
    return result;
  }

  /** Starts the replay the kiosk URL asks for, if any; answers the unbinding function. */
  function bind(target: LiveSocket = liveSocket, search = window.location.search): () => void {
    socket = target;
    const asked = replayFromUrl(search);
    if (asked) command(asked);
    // The first read waits for the connection the live store's bind opens.
    const onConnect = () => read();
    target.on('connect', onConnect);
    return () => {
      target.off('connect', onConnect);
      if (timer) clearInterval(timer);
      timer = null;
    };
  }

  return { clock, shown, moment, error, reads, active, done, command, follow, bind };
});
