/**
 * The live picture's link between server nodes (several nodes, issue 18): each node appends what
 * its walls' figures depend on — the events its ingest accepted, the log position its store writes
 * reached, sign-up lines, the emergency state, the evaluations it made for all — to one Redis stream, and reads every other node's
 * entries in order from the same stream.
 *
 * A stream rather than Redis PUB/SUB (which Socket.IO's `serverSideEmit` uses): a reader that loses
 * its connection for a moment resumes after the last entry it read, so a blip loses nothing, and
 * one node's entries keep the order it wrote them in (its accepted events before the flush that
 * covers them). Entries are written only by our nodes; Redis is inside the cluster's trust
 * boundary, like ClickHouse.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger as Logger } from 'fastify';
import type { Redis } from 'ioredis';
import type { EmergencyState } from '../../shared/emergency.js';
import type { PracticeEvent } from '../../shared/events.js';
import type { FeedItem } from '../../shared/live.js';
import type { DispatchChange } from '../dispatch/changes.js';
import type { QueryUpdate } from '../../shared/queries/index.js';
import type { Covers } from './lease.js';
import type { ViewEvaluation } from './view.js';

export const PEER_STREAM = 'wmsj:live:peers';
/** About a minute of entries at 5,000 events/s in batches; a reader is never that far behind. */
const MAX_LEN = 20_000;
const BLOCK_MS = 2_000;
const READ_COUNT = 500;

export type PeerMessage =
  | { kind: 'accepted'; position: number; events: PracticeEvent[] }
  | { kind: 'flushed'; position: number }
  | { kind: 'announce'; item: FeedItem }
  | { kind: 'emergency'; state: EmergencyState }
  | ({ kind: 'view'; scope: string } & ViewEvaluation)
  | { kind: 'query'; covers: Covers; update: QueryUpdate }
  /** Dispatch's changes (dispatch/changes.ts): in the same stream, after the events they wrote. */
  | { kind: 'dispatch'; change: DispatchChange };

/** Read through a call: a stop lands while a read is awaited, which narrowing cannot see. */
const stopped = (signal: AbortSignal): boolean => signal.aborted;

export type PeerHandler = (origin: string, message: PeerMessage) => void;

export class LivePeers {
  /**
   * This run of this node: its name and a boot id, since a restarted node's log positions start a
   * new sequence, and what its previous run left pending must not be taken for the new run's.
   */
  readonly origin: string;
  private readonly handlers: PeerHandler[] = [];
  private readonly silentHandlers: ((origin: string) => void)[] = [];
  private reader: Redis | null = null;
  private loop: Promise<void> | null = null;
  private readonly stopping = new AbortController();
  /** When each peer origin was last heard from (its heartbeat is its flushed position). */
  private readonly heard = new Map<string, number>();
  stats = { sent: 0, received: 0, failed: 0 };

  constructor(
    private readonly redis: Redis,
    nodeId: string,
    private readonly log: Logger,
  ) {
    this.origin = `${nodeId}/${randomUUID().slice(0, 8)}`;
  }

  on(handler: PeerHandler): void {
    this.handlers.push(handler);
  }

  /** Called with each origin `silentSince` finds silent (besides answering them). */
  onSilent(handler: (origin: string) => void): void {
    this.silentHandlers.push(handler);
  }

  /** Appends to the stream; a failure is logged and counted (a peer's figures converge at its next evaluation). */
  publish(message: PeerMessage): void {
    this.redis
      .xadd(PEER_STREAM, 'MAXLEN', '~', MAX_LEN, '*', 'o', this.origin, 'm', JSON.stringify(message))
      .then(() => (this.stats.sent += 1))
      .catch((error: unknown) => {
        this.stats.failed += 1;
        this.log.warn({ err: error, kind: message.kind }, 'live peers: append failed');
      });
  }

  /** Starts reading after the stream's current end: what was before is in the store or in a peer's next flush. */
  async start(): Promise<void> {
    const reader = this.redis.duplicate();
    reader.on('error', () => undefined);
    this.reader = reader;
    const [last] = await this.redis.xrevrange(PEER_STREAM, '+', '-', 'COUNT', 1);
    this.loop = this.read(reader, last?.[0] ?? '0-0');
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    this.reader?.disconnect();
    await this.loop;
  }

  /** Peer origins not heard from since `before` (epoch ms): dead or cut off; forgotten once answered. */
  silentSince(before: number): string[] {
    const silent = [...this.heard].filter(([, at]) => at < before).map(([origin]) => origin);
    for (const origin of silent) {
      this.heard.delete(origin);
      for (const handler of this.silentHandlers) handler(origin);
    }
    return silent;
  }

  private async read(reader: Redis, from: string): Promise<void> {
    let last = from;
    const { signal } = this.stopping;
    while (!signal.aborted) {
      try {
        const reply = await reader.xread('COUNT', READ_COUNT, 'BLOCK', BLOCK_MS, 'STREAMS', PEER_STREAM, last);
        for (const [, entries] of reply ?? []) {
          for (const [id, fields] of entries) {
            last = id;
            this.deliver(fields);
          }
        }
      } catch (error) {
        // The read a stop interrupts fails too; only others are worth a word.
        if (stopped(signal)) return;
        this.log.warn({ err: error }, 'live peers: read failed, retrying');
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  private deliver(fields: string[]): void {
    let origin = '';
    let body = '';
    for (let i = 0; i + 1 < fields.length; i += 2) {
      if (fields[i] === 'o') origin = fields[i + 1] ?? '';
      else if (fields[i] === 'm') body = fields[i + 1] ?? '';
    }
    if (origin === this.origin || body === '') return;
    this.heard.set(origin, Date.now());
    this.stats.received += 1;
    const message = JSON.parse(body) as PeerMessage;
    for (const handler of this.handlers) {
      try {
        handler(origin, message);
      } catch (error) {
        this.log.warn({ err: error, kind: message.kind }, 'live peers: handling an entry failed');
      }
    }
  }
}
